/**
 * An audit event's target and its `detail` (JSON of non-secret facts) in words: the keys the server
 * writes get Japanese names, and values that are codes of the API get their labels, so no raw JSON
 * or English reaches the 操作履歴 page.
 */
import { yen } from './format';
import { ACCOUNT_TYPE, CONTRACT_STATUS, PASSWORD_KIND, PERMISSION, ROLE, TRANSFER_STATUS } from './labels';
import { describeError } from './messages';

const TARGET: Record<string, string> = {
  User: '利用者',
  Contract: '契約',
  Certificate: '電子証明書',
  Session: 'ログイン',
  Transfer: '振込',
  BulkTransfer: '総合振込',
};

const KEY: Record<string, string> = {
  reason: '理由',
  note: '記録',
  loginId: 'ログインID',
  administratorLoginId: '管理者のログインID',
  to: '変更後',
  from: '変更前',
  serialNumber: 'シリアル番号',
  previousSerialNumber: '以前のシリアル番号',
  wasLocked: 'ロック中だった',
  key: '照合の番号',
  executionDate: '実行日',
  via: '経路',
  threshold: '回数の上限',
  status: '状態',
  source: '作成方法',
  sessionUserId: 'ログイン中の利用者',
  reclaimed: '回収',
  permissions: '業務権限',
  lineCount: '件数',
  kind: '種類',
  failureCode: '理由',
  failedAttempts: '誤り回数',
  remainingAttempts: '残り回数',
  expiresAt: '有効期限',
  entries: '許可するアドレス',
  code: '種別',
  certificatesRevoked: '失効した電子証明書',
  balanceAfter: '残高',
  accountIds: '利用口座',
  amount: '金額',
  totalAmount: '合計金額',
  transferLimitPerTransaction: '1回あたりの限度額',
  dailyTransferLimit: '1日あたりの限度額',
  requiresApproval: '承認',
  count: '件数',
  format: 'ファイル形式',
  encoding: '文字コード',
};

const MONEY = new Set(['amount', 'totalAmount', 'balanceAfter', 'transferLimitPerTransaction', 'dailyTransferLimit']);

/** Codes that may appear as values, with their labels. */
const CODES: Record<string, string> = {
  ...TRANSFER_STATUS,
  ...CONTRACT_STATUS,
  ...PASSWORD_KIND,
  ...PERMISSION,
  ...ROLE,
  ...ACCOUNT_TYPE,
  ZENGIN_FILE: '全銀形式ファイル',
  JSON: '画面・システム連携で入力',
  // A download's file (format, encoding).
  csv: 'CSV',
  zengin: '全銀形式',
  shift_jis: 'シフトJIS',
  'utf-8': 'UTF-8',
};

function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'はい' : 'いいえ';
  if (typeof value === 'number') return MONEY.has(key) ? yen(value) : String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(key, v)).join('、') : 'なし';
  if (typeof value === 'object') return detailText(JSON.stringify(value));
  const text = String(value);
  if (key === 'failureCode') return describeError({ code: text, message: '', extensions: {} });
  return CODES[text] ?? text;
}

export function targetText(type: string | null, id: string | null): string {
  if (!type) return '—';
  return `${TARGET[type] ?? '対象'} ${id ?? ''}`.trim();
}

export function detailText(detail: string | null): string {
  if (!detail) return '';
  let facts: unknown;
  try {
    facts = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (!facts || typeof facts !== 'object' || Array.isArray(facts)) return valueText('', facts);
  return Object.entries(facts)
    .map(([key, value]) => `${KEY[key] ?? 'その他'}: ${valueText(key, value)}`)
    .join('、');
}
