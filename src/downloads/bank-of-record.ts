import { findBank, findBranch } from '../banking/zengin';
import type { GatewayConfig } from '../config';

/** This bank as a statement file names it: its code (統一金融機関番号) and readings from the zengin-code directory. */
export interface BankOfRecord {
  code: string;
  kana: string;
  branchKana(branchCode: string): string;
}

/** This bank (BANK_CODE) with its readings from the zengin-code directory. */
export function bankOfRecord(config: GatewayConfig): BankOfRecord {
  const { code } = config.bank;
  return {
    code,
    kana: findBank(code)?.kana ?? '',
    branchKana: (branchCode) => findBranch(code, branchCode)?.kana ?? '',
  };
}
