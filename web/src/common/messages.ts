/**
 * The one place where the API's errors (extensions.code and its facts, docs/errors.md) become
 * sentences for the person at the PC. Neither codes nor the server's English messages reach the
 * screen: every fact the API gives (which limit, how much is left, why the session ended, which
 * line of a file) is said here in Japanese.
 */
import type { ErrorCode, LimitKind, PasskeyRefusal, QueryLimit, UnauthenticatedReason, ZenginField } from '../graphql/codes.generated';
import { LIMIT_KIND, PASSKEY_REFUSAL, QUERY_LIMIT, UNAUTHENTICATED_REASON, ZENGIN_FIELD, ZENGIN_FIELD_RULE } from './labels';
import { businessDate, dateTime, yen } from './format';

export interface ErrorFacts {
  code: string;
  message: string;
  extensions: Record<string, unknown>;
}

/** One problem of a bulk transfer (extensions.problems), by record (a file) or line (entered lines). */
export interface BulkProblem {
  record: number;
  field: ZenginField;
  value?: string;
}

const RULES: Record<string, string> = {
  MIN_LENGTH: '新しいパスワードの文字数が足りません。',
  MAX_LENGTH: '新しいパスワードが長すぎます。',
  CHARACTER_CLASSES: '新しいパスワードには英字と数字の両方を含めてください。',
  CHARACTERS: '新しいパスワードに使えるのは半角の英字・数字・記号のみです（空白は使えません）。',
  NOT_LOGIN_ID: '新しいパスワードにログインIDを含めることはできません。',
  HISTORY: '最近使ったパスワードは使えません。',
  DIFFERENT_FROM_OTHER_PASSWORD: 'ログインパスワードと確認用パスワードは別のものにしてください。',
};

/** `field` of BAD_USER_INPUT: what to check, for the fields the app's forms send. */
const INPUT_FIELDS: Record<string, string> = {
  transferId:
    'この振込は、すでに承認・差戻し・予約取消・実行のいずれかが済んでいるため、この操作はできません。最新の状態をご確認ください。',
  bulkTransferId:
    'この総合振込は、すでに承認・差戻し・予約取消・実行のいずれかが済んでいるため、この操作はできません。最新の状態をご確認ください。',
  salaryTransferId:
    'この給与・賞与振込は、すでに承認・差戻し・予約取消・実行のいずれかが済んでいるため、この操作はできません。最新の状態をご確認ください。',
  payday: '振込指定日（支給日）を年月日で指定してください。',
  destinationBankCode: '金融機関コードに該当する金融機関がありません。',
  destinationBranchCode: '支店番号に該当する支店がありません。',
  destinationAccountNumber: '口座番号は7桁の数字です。',
  payeeName: '受取人名に使えない文字が含まれているか、長すぎます（カナ・英大文字・数字・一部の記号、半角30文字まで）。',
  amount: '金額が正しくありません（1円以上の整数）。',
  fromAccountId: '支払口座が正しくありません。',
  fileBase64: 'ファイルを読み取れませんでした。全銀形式のファイルかご確認ください。',
  lines: '明細の件数が多すぎるか、内容に誤りがあります。',
  entries: 'IPアドレスの書き方が正しくありません（例: 203.0.113.5 または 203.0.113.0/24）。',
  loginId: 'このログインIDは使えません（英小文字・数字・記号、既に使われているIDは不可）。',
  reason: '理由を入力してください。',
  // 振込先登録 (createPayee, updatePayee) and a transfer to a registered payee.
  nickname: '登録名は1文字以上30文字以内で入力してください。',
  bankCode: '金融機関コードに該当する金融機関がありません。',
  branchCode: '支店番号に該当する支店がありません。',
  accountNumber:
    'この口座番号は登録できません。7桁の数字（0000000は不可）で、まだ振込先に登録されていない口座かご確認ください（同じ口座を二つの振込先として登録することはできません）。',
  accountType: '科目を選んでください。',
  payeeId: '振込先を選んでください（登録済みの振込先か、直接入力のどちらか一方です）。',
  transferDate: '振込指定日を日付で指定してください。',
  // メール通知 (setEmailAddress, setUserEmailAddress, createUser, setNoticeSettings).
  emailAddress: 'メールアドレスの書き方が正しくありません（半角英数字、例: keiri@example.co.jp）。',
  administratorTopics: '緊急停止の通知は、管理者への通知から外せません。',
};

const NOT_FOUND_FIELDS: Record<string, string> = {
  transferId: '指定された受付番号の振込はありません（ほかの方の振込など、参照できないものを含みます）。',
  bulkTransferId: '指定された受付番号の総合振込はありません（ほかの方の振込など、参照できないものを含みます）。',
  salaryTransferId: '指定された受付番号の給与・賞与振込はありません（ほかの方の振込など、参照できないものを含みます）。',
  id: '指定された受付番号の取引はありません（ほかの方の取引など、参照できないものを含みます）。',
  payeeId: 'この振込先は登録されていません（削除された可能性があります）。一覧を開きなおしてください。',
};

const wait = (x: Record<string, unknown>) =>
  typeof x.retryAfterSeconds === 'number' ? `${Math.ceil(x.retryAfterSeconds)}秒ほど` : 'しばらく';

/** Every code the API documents has its sentence (a new one fails the type check); NETWORK and PASSKEY_BROWSER are the page's own. */
const SENTENCES: Record<ErrorCode | 'NETWORK' | 'PASSKEY_BROWSER', (x: Record<string, unknown>) => string> = {
  UNAUTHENTICATED: (x) =>
    UNAUTHENTICATED_REASON[x.reason as UnauthenticatedReason] ??
    'ログインしていないか、ログインの有効期限が切れました。もう一度ログインしてください。',
  CERTIFICATE_REJECTED: () =>
    'この電子証明書はご利用いただけません（失効・有効期限切れ・未登録、または解約済み）。管理者にお問い合わせのうえ、電子証明書を取得しなおしてください。',
  LOGIN_FAILED: (x) =>
    typeof x.remainingAttempts === 'number'
      ? `パスワードが正しくありません。あと${x.remainingAttempts}回続けて誤るとこのIDはロックされ、ご利用いただけなくなります。`
      : 'パスワードが正しくありません。',
  ACCOUNT_LOCKED: () =>
    'パスワードを続けて誤ったため、このIDはロックされています。利用者の方は管理者にパスワードの再設定（ロック解除）を、管理者の方は当金庫に連絡してください。',
  PASSWORD_EXPIRED: () =>
    'パスワードの変更が必要です（仮パスワードのまま、または有効期限切れ）。パスワードを変更してから操作してください。',
  PASSWORD_POLICY: (x) => RULES[String(x.rule)] ?? '新しいパスワードが条件を満たしていません。',
  FORBIDDEN: (x) => {
    if (x.field === 'accountId' || x.field === 'fromAccountId') return 'この口座はあなたの利用口座ではありません。';
    if (x.field === 'accountIds') return '契約にない口座が含まれています。';
    if (x.required) return 'この操作を行う権限がありません。必要な場合は管理者に業務権限の設定を依頼してください。';
    return 'この操作は行えません（ご自身が作成した振込の承認、利用停止中、接続元の制限、または権限がない場合など）。';
  },
  LIMIT_EXCEEDED: (x) => limitSentence(x),
  INSUFFICIENT_FUNDS: () => '支払口座の残高が不足しています。',
  CONTRACT_STOPPED: () => '緊急停止中のため、この契約ではご利用いただけません。再開は当金庫が行います。お取引店にご連絡ください。',
  ENROLLMENT_REJECTED: () =>
    '電子証明書を発行できませんでした。ログインID・証明書取得コード・ログインパスワードをご確認ください（コードは一度だけ、有効期限内に使えます）。',
  BAD_USER_INPUT: (x) => {
    if (typeof x.limit === 'string' && x.limit in QUERY_LIMIT) return QUERY_LIMIT[x.limit as QueryLimit];
    if (Array.isArray(x.problems)) {
      const more = x.truncated ? '以上' : '';
      return `内容に誤りが${x.problems.length}件${more}あるため、受け付けませんでした（何も登録していません）。下の一覧の行と項目をご確認ください。`;
    }
    if (typeof x.field === 'string' && INPUT_FIELDS[x.field]) return INPUT_FIELDS[x.field];
    return '入力内容に誤りがあります。入力した内容をご確認ください。';
  },
  RATE_LIMITED: (x) => `操作が集中しています。${wait(x)}待ってからもう一度お試しください。`,
  IDEMPOTENCY_KEY_REUSED: () => '同じ依頼が別の内容で送られました。何も行っていません。画面を開きなおしてから、もう一度操作してください。',
  NOT_FOUND: (x) => NOT_FOUND_FIELDS[String(x.field)] ?? 'お探しの情報は見つかりませんでした。',
  INVALID_EXECUTION_DATE: (x) => {
    const first = typeof x.firstPossibleDate === 'string' ? `指定できる最も早い日は${businessDate(x.firstPossibleDate)}です。` : '';
    const why: Record<string, string> = {
      PAST: '振込指定日が過ぎています。',
      CLOSED_DAY: '振込指定日が金融機関の休業日（土日・祝日・12/31〜1/3）です。',
      AFTER_CUTOFF: '本日分の受付時間を過ぎたため、本日を振込指定日にできません。',
      BEYOND_HORIZON: '振込指定日が先すぎます。',
      SUBMISSION_DEADLINE_PASSED:
        '給与・賞与振込の受付期限（振込指定日の所定営業日前の締切時刻）を過ぎています。作成と承認は受付期限までに行ってください。',
    };
    const deadline = typeof x.deadline === 'string' ? `受付期限は${dateTime(x.deadline)}でした。` : '';
    return `${why[String(x.reason)] ?? '振込指定日を指定できません。'}${deadline}${first}何も登録していません。`;
  },
  PASSKEY_REQUIRED: () =>
    'この承認・変更には取引認証（パスキーによる本人確認）が必要です。パスキー管理でパスキーを登録してから、もう一度お試しください。何も行っていません。',
  PASSKEY_VERIFICATION_FAILED: (x) =>
    `${PASSKEY_REFUSAL[x.reason as PasskeyRefusal] ?? 'パスキーによる確認ができませんでした。'}何も行っていません。もう一度やりなおしてください。`,
  APPROVAL_BINDING_MISMATCH: () => '承認したあとで振込の内容が変わっていたため、実行しませんでした。',
  SERVICE_UNAVAILABLE: (x) =>
    `ただいまサービスを一時的にご利用いただけません。${wait(x)}待ってからもう一度お試しください。お振込は、処理されたかどうかを振込結果照会でご確認ください。`,
  PASSKEY_BROWSER: () =>
    'パスキーによる確認が取り消されたか、このブラウザーやパソコンではパスキーを使えませんでした。何も行っていません。もう一度お試しください。',
  NETWORK: () => 'サーバーと通信できませんでした。ネットワークの状態を確認して、もう一度お試しください。',
  INTERNAL: () => 'システムエラーが発生しました。時間をおいてもう一度お試しください。',
};

/** A sentence in Japanese for an error, with the facts the API gives (attempts left, seconds to wait...). */
export function describeError(error: ErrorFacts): string {
  const sentence = SENTENCES[error.code as ErrorCode | 'NETWORK' | 'PASSKEY_BROWSER'] ?? SENTENCES.INTERNAL;
  return sentence(error.extensions);
}

/**
 * The form field a refusal names (`extensions.field` of BAD_USER_INPUT, NOT_FOUND or
 * INVALID_EXECUTION_DATE), so a page can say it next to that field; null for the others.
 */
export function refusedField(error: ErrorFacts | null): string | null {
  if (!error || !['BAD_USER_INPUT', 'NOT_FOUND', 'INVALID_EXECUTION_DATE'].includes(error.code)) return null;
  return typeof error.extensions.field === 'string' ? error.extensions.field : null;
}

/** LIMIT_EXCEEDED: which 利用限度額, its amount, and what is left — only a daily limit has a remainder for the day. */
function limitSentence(x: Record<string, unknown>): string {
  const kind = LIMIT_KIND[x.limit as LimitKind] ?? '利用限度額';
  const amount = typeof x.limitAmount === 'number' ? `（${yen(x.limitAmount)}）` : '';
  const line = typeof x.record === 'number' ? `明細の${x.record}件目が` : '';
  const rest = x.limit !== 'PER_TRANSFER' && typeof x.remaining === 'number' ? `実行日の残りは${yen(x.remaining)}です。` : '';
  return `${line}${kind}${amount}を超えるため、受け付けませんでした。${rest}`;
}

/** The problems of a refused bulk transfer, when the error carries them. */
export function bulkProblems(error: ErrorFacts): BulkProblem[] {
  const problems = error.extensions.problems;
  if (error.code !== 'BAD_USER_INPUT' || !Array.isArray(problems)) return [];
  return problems.map((p: { record?: unknown; field?: unknown; value?: unknown }) => ({
    record: typeof p.record === 'number' ? p.record : 0,
    field: (typeof p.field === 'string' && p.field in ZENGIN_FIELD ? p.field : 'record') as ZenginField,
    value: typeof p.value === 'string' ? p.value : undefined,
  }));
}

/** Where a problem is: the file's record, the entered line, or the whole. */
export function problemPlace(problem: BulkProblem, fromFile: boolean): string {
  if (problem.record === 0) return fromFile ? 'ファイル全体' : '明細全体';
  return fromFile ? `${problem.record}レコード目` : `${problem.record}行目`;
}

/** How to fix a problem; `rules` says it for a kind whose file differs (給与・賞与振込: 種別コード 11/12). */
export function problemRule(problem: BulkProblem, rules: Partial<Record<ZenginField, string>> = {}): string {
  return rules[problem.field] ?? ZENGIN_FIELD_RULE[problem.field];
}
