/** Zengin (全銀協) 総合振込 files and bulk-transfer lines: pure reading, checking and writing. */
export { findBank, findBranch, type DirectoryEntry } from './bank-directory';
export { headerAccountProblems } from './header-account';
export { jisX0201Byte, jisX0201Text } from './jis-x0201';
export {
  MAX_LINE_AMOUNT,
  MAX_PROBLEMS,
  MAX_TOTAL_AMOUNT,
  validateTransferLines,
  validateTransferLinesInTurns,
  zenginFormOfName,
  type TransferLineInput,
  type TransferLinesResult,
  type ZenginAccount,
  type ZenginField,
  type ZenginProblem,
  type ZenginTransferLine,
} from './transfer-lines';
export { toZenginKana, zenginNameProblem } from './zengin-kana';
export { writeZenginTransferFile } from './zengin-transfer-writer';
export {
  parseZenginTransferFile,
  parseZenginTransferFileInTurns,
  type ZenginParseResult,
  type ZenginTransferFile,
  type ZenginTransferFileInput,
  type ZenginTransferHeader,
} from './zengin-transfer-file';
