import type { ApprovalChallengeResult } from './passkey.types';
import type { IssuedChallenge } from './passkey.service';

/** The optional `passkeyAssertion` argument of a risky change (createUser, setUserLimits, setIpAllowList, createPayee, updatePayee). */
export const PASSKEY_ASSERTION = {
  nullable: true,
  description:
    '取引認証: AuthenticationResponseJSON from startAuthentication(), as JSON, answering the begin… mutation’s challenge for ' +
    'this very change; required where the contract’s rule says so or you have a passkey (PASSKEY_REQUIRED)',
} as const;

export function toChallengeResult(issued: IssuedChallenge & { binding: string }): ApprovalChallengeResult {
  return { publicKeyOptions: issued.optionsJSON, expiresAt: issued.expiresAt, binding: issued.binding };
}
