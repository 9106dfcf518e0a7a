import type ZenginCode from 'zengin-code';

/** A bank (金融機関) or branch (支店) as the zengin-code directory names it. */
export interface DirectoryEntry {
  code: string;
  /** Official name in kanji as the directory has it (e.g. 三井住友, 立売堀), without 銀行 or 支店. */
  name: string;
  /** Official reading in full-width katakana. */
  kana: string;
}

let banks: typeof ZenginCode | undefined;

/** The directory is 5 MB of data: it is loaded on first use, not when the gateway starts. */
function directory(): typeof ZenginCode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- 5 MB of data, loaded on first use rather than at start
  banks ??= require('zengin-code') as typeof ZenginCode;
  return banks;
}

/** The bank with this four-digit code (統一金融機関番号), if the directory knows it. */
export function findBank(bankCode: string): DirectoryEntry | undefined {
  const bank = Object.prototype.hasOwnProperty.call(directory(), bankCode) ? directory()[bankCode] : undefined;
  return bank && { code: bank.code, name: bank.name, kana: bank.kana };
}

/** The branch with this three-digit code (統一店番号) at that bank, if the directory knows it. */
export function findBranch(bankCode: string, branchCode: string): DirectoryEntry | undefined {
  const bank = Object.prototype.hasOwnProperty.call(directory(), bankCode) ? directory()[bankCode] : undefined;
  const branch = bank && Object.prototype.hasOwnProperty.call(bank.branches, branchCode) ? bank.branches[branchCode] : undefined;
  return branch && { code: branch.code, name: branch.name, kana: branch.kana };
}

/** Every bank of the directory with its branches, in code order, for searching (bank-search.ts). */
export function allBanks(): ReadonlyArray<DirectoryEntry & { branches: readonly DirectoryEntry[] }> {
  return Object.values(directory())
    .map((bank) => ({
      code: bank.code,
      name: bank.name,
      kana: bank.kana,
      branches: Object.values(bank.branches)
        .map((branch) => ({ code: branch.code, name: branch.name, kana: branch.kana }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
}
