/**
 * The one place where the API's error codes (extensions.code, DESIGN §5) become words for the
 * person at the PC. Codes never reach the screen; the server's own sentence is kept as a detail
 * line only where it adds a fact the code does not carry.
 */

export interface ErrorFacts {
  code: string;
  message: string;
  extensions: Record<string, unknown>;
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

const LIMITS: Record<string, string> = {
  DEPTH: '照会の階層が深すぎます。',
  ALIASES: '一度に照会する項目が多すぎます。',
  TOKENS: '照会が長すぎます。',
  COST: '照会が大きすぎます。',
  PASSWORD_CHECKS: 'パスワードの確認は一度に一つだけ行えます。',
};

/** A sentence in Japanese for an error, with the facts the API gives (attempts left, seconds to wait...). */
export function describeError(error: ErrorFacts): string {
  const x = error.extensions;
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return 'ログインしていないか、ログインの有効期限が切れました（一定時間操作がなかった場合や、別の画面で再ログインした場合など）。もう一度ログインしてください。';
    case 'CERTIFICATE_REJECTED':
      return 'この電子証明書はご利用いただけません（失効・有効期限切れ・未登録、または解約済み）。管理者にお問い合わせのうえ、電子証明書を取得しなおしてください。';
    case 'LOGIN_FAILED': {
      const remaining = typeof x.remainingAttempts === 'number' ? x.remainingAttempts : null;
      return remaining === null
        ? 'パスワードが正しくありません。'
        : `パスワードが正しくありません。あと${remaining}回続けて誤るとこのIDはロックされ、ご利用いただけなくなります。`;
    }
    case 'ACCOUNT_LOCKED':
      return 'パスワードを続けて誤ったため、このIDはロックされています。利用者の方は管理者にパスワードの再設定（ロック解除）を、管理者の方は当金庫に連絡してください。';
    case 'PASSWORD_EXPIRED':
      return 'パスワードの変更が必要です（仮パスワードのまま、または有効期限切れ）。パスワードを変更してから操作してください。';
    case 'PASSWORD_POLICY':
      return RULES[String(x.rule)] ?? '新しいパスワードが条件を満たしていません。';
    case 'FORBIDDEN':
      if (x.field === 'accountId') return 'この口座はあなたの利用口座ではありません。';
      if (x.field === 'accountIds') return '契約にない口座が含まれています。';
      if (x.required) return 'この操作を行う権限がありません。必要な場合は管理者に業務権限の設定を依頼してください。';
      return 'この操作は行えません（利用停止中、接続元の制限、または権限がありません）。';
    case 'LIMIT_EXCEEDED': {
      const remaining = typeof x.remaining === 'number' ? `（本日の残り ${yenText(x.remaining)}）` : '';
      return `利用限度額を超えるため実行できません${remaining}。`;
    }
    case 'INSUFFICIENT_FUNDS':
      return '支払口座の残高が不足しています。';
    case 'CONTRACT_STOPPED':
      return '緊急停止中のため、この契約ではご利用いただけません。再開は当金庫が行います。お取引店にご連絡ください。';
    case 'ENROLLMENT_REJECTED':
      return '電子証明書を発行できませんでした。ログインID・証明書取得コード・ログインパスワードをご確認ください（コードは一度だけ、有効期限内に使えます）。';
    case 'RATE_LIMITED': {
      const wait = typeof x.retryAfterSeconds === 'number' ? `${Math.ceil(x.retryAfterSeconds)}秒ほど` : 'しばらく';
      return `操作が集中しています。${wait}待ってからもう一度お試しください。`;
    }
    case 'SERVICE_UNAVAILABLE': {
      const wait = typeof x.retryAfterSeconds === 'number' ? `${Math.ceil(x.retryAfterSeconds)}秒ほど` : 'しばらく';
      return `ただいまサービスを一時的にご利用いただけません。${wait}待ってからもう一度お試しください。お振込は、処理されたかどうかを取引一覧でご確認ください。`;
    }
    case 'BAD_USER_INPUT':
      if (typeof x.limit === 'string' && LIMITS[x.limit]) return LIMITS[x.limit];
      return '入力内容に誤りがあります。';
    case 'NETWORK':
      return 'サーバーと通信できませんでした。ネットワークの状態を確認して、もう一度お試しください。';
    default:
      return 'システムエラーが発生しました。時間をおいてもう一度お試しください。';
  }
}

/** Whether the server's own sentence tells the user more than describeError does (which field, which limit). */
export function detailWorthShowing(error: ErrorFacts): boolean {
  return ['BAD_USER_INPUT', 'ENROLLMENT_REJECTED', 'LIMIT_EXCEEDED', 'FORBIDDEN', 'CERTIFICATE_REJECTED'].includes(error.code);
}

function yenText(amount: number): string {
  return `¥${new Intl.NumberFormat('ja-JP').format(amount)}`;
}
