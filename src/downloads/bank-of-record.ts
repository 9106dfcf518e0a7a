import { findBank, findBranch } from '../banking/zengin';
import type { GatewayConfig } from '../config';

/** This bank as a statement file names it: its code (統一金融機関番号) and readings from the zengin-code directory. */
export interface BankOfRecord {
  code: string;
  kana: string;
  branchKana(branchCode: string): string;
}

/** Zengin's "no value" for an N field: a file of a gateway not yet told its bank code says so, it does not name another bank. */
const UNKNOWN_BANK_CODE = '0000';

/**
 * BANK_CODE from the configuration (issue 17, item 2, lands on another branch: `config.bank.code`
 * or `config.bankCode`, whichever it becomes — this is the one place that reads it). Until then
 * accounts carry no bank code of their own, so the code is 0000 and the names are blank.
 */
export function bankOfRecord(config: GatewayConfig): BankOfRecord {
  const configured = config as GatewayConfig & { bank?: { code?: string }; bankCode?: string };
  const code = configured.bank?.code ?? configured.bankCode ?? UNKNOWN_BANK_CODE;
  return {
    code,
    kana: findBank(code)?.kana ?? '',
    branchKana: (branchCode) => findBranch(code, branchCode)?.kana ?? '',
  };
}
