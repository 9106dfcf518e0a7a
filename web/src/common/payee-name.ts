/**
 * 受取人名 as the bank will record and send it, for the confirmation page. The server's own rule
 * (src/banking/payee-name.ts, pure and free of Node) is imported rather than restated, so that
 * what the customer confirms cannot drift from what the server stores: one function, two callers.
 */
import { normalizePayeeName } from '../../../src/banking/payee-name';

/** The recorded form of a typed name, or null when the server would refuse it (its reason is English, so none is given). */
export function recordedPayeeName(typed: string): string | null {
  try {
    return normalizePayeeName(typed);
  } catch {
    return null;
  }
}
