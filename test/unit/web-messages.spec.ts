import { describeError, bulkProblems, problemPlace } from '../../web/src/common/messages';
import { typedNumber } from '../../web/src/common/format';
import { detailText, targetText } from '../../web/src/common/audit-detail';
import { parseLines } from '../../web/src/app/pages/bulk-lines';
import { latinWords } from '../helpers/browser';

const error = (code: string, extensions: Record<string, unknown> = {}) => ({ code, message: 'An English sentence.', extensions });

describe("the web app's words for the API's answers", () => {
  it('says which limit refused a transfer, and a remainder only for a daily limit', () => {
    const perTransfer = describeError(error('LIMIT_EXCEEDED', { limit: 'PER_TRANSFER', limitAmount: 1_000_000, remaining: 1_000_000 }));
    expect(perTransfer).toBe('1回あたりの利用限度額（¥1,000,000）を超えるため、受け付けませんでした。');
    expect(describeError(error('LIMIT_EXCEEDED', { limit: 'USER_DAILY', limitAmount: 3_000_000, remaining: 250_000, record: 4 }))).toBe(
      '明細の4件目が1日あたりの利用限度額（利用者）（¥3,000,000）を超えるため、受け付けませんでした。実行日の残りは¥250,000です。',
    );
  });

  it('names a login elsewhere, not a timeout, when a newer login replaced the session', () => {
    expect(describeError(error('UNAUTHENTICATED', { reason: 'REPLACED_BY_NEWER_LOGIN' }))).toMatch(
      /^別の場所で同じIDでログインされました。/,
    );
    expect(describeError(error('UNAUTHENTICATED', { reason: 'EXPIRED' }))).toMatch(/一定時間操作がなかった/);
  });

  it("turns a refused bulk transfer's problems into places and fields, never the server's English", () => {
    const refused = error('BAD_USER_INPUT', {
      field: 'fileBase64',
      problems: [
        { record: 3, field: 'accountNumber', message: 'The account number (口座番号) must be seven digits.', value: '12345' },
        { record: 0, field: 'file', message: 'The file has no end record (データ区分 9).' },
      ],
      truncated: false,
    });
    expect(describeError(refused)).toBe(
      '内容に誤りが2件あるため、受け付けませんでした（何も登録していません）。下の一覧の行と項目をご確認ください。',
    );
    const problems = bulkProblems(refused);
    expect(problems).toEqual([
      { record: 3, field: 'accountNumber', value: '12345' },
      { record: 0, field: 'file', value: undefined },
    ]);
    expect(problems.map((p) => problemPlace(p, true))).toEqual(['3レコード目', 'ファイル全体']);
    expect(problems.map((p) => problemPlace(p, false))).toEqual(['3行目', '明細全体']);
  });

  it('has a Japanese sentence for every error code and every query limit, with no Latin word in it', () => {
    const codes = ['UNAUTHENTICATED', 'CERTIFICATE_REJECTED', 'LOGIN_FAILED', 'ACCOUNT_LOCKED', 'PASSWORD_EXPIRED', 'PASSWORD_POLICY'];
    const more = ['FORBIDDEN', 'LIMIT_EXCEEDED', 'INSUFFICIENT_FUNDS', 'CONTRACT_STOPPED', 'ENROLLMENT_REJECTED', 'BAD_USER_INPUT'];
    const rest = ['RATE_LIMITED', 'IDEMPOTENCY_KEY_REUSED', 'NOT_FOUND', 'SERVICE_UNAVAILABLE', 'INTERNAL', 'NETWORK', 'SOMETHING_NEW'];
    for (const code of [...codes, ...more, ...rest])
      expect({ code, english: latinWords(describeError(error(code))) }).toEqual({ code, english: [] });
    for (const limit of ['DEPTH', 'ALIASES', 'DIRECTIVES', 'COST', 'TOKENS', 'PASSWORD_CHECKS', 'BATCH'])
      expect(latinWords(describeError(error('BAD_USER_INPUT', { limit })))).toEqual([]);
  });

  it('tells English words from codes, IDs and terms', () => {
    expect(latinWords('状態: SCHEDULED、ログインID user01、契約 DEMO0001、接続元 127.0.0.1、EDI情報、総合振込.txt、Session 13')).toEqual([
      'SCHEDULED',
      'Session',
    ]);
  });

  it('takes an e-mail address for data, but not the words around it', () => {
    expect(latinWords('現在のメールアドレス: keiri@demo-shoji.example（例: keiri@example.co.jp）')).toEqual([]);
    expect(latinWords('Send to keiri@demo-shoji.example')).toEqual(['Send', 'to']);
  });

  it('reads digits typed with the IME on and separators in codes and amounts', () => {
    expect(typedNumber('０００９')).toBe('0009');
    expect(typedNumber('123-4567')).toBe('1234567');
    expect(typedNumber('１２３ー４５６７')).toBe('1234567');
    expect(typedNumber('２５０，０００円')).toBe('250000');
  });

  it("shows an audit event's detail and target in words, not JSON", () => {
    expect(detailText('{"reason":"不正送金の疑い","amount":250000,"status":"SCHEDULED"}')).toBe(
      '理由: 不正送金の疑い、金額: ¥250,000、状態: 予約中（指定日に実行）',
    );
    expect(targetText('BulkTransfer', '7')).toBe('総合振込 7');
  });

  it('reads lines typed or pasted from a spreadsheet, with full-width digits, and says which line is wrong', () => {
    const { lines, problems } = parseLines(
      '０００９, 123, 普通, 765-4321, ｶ)ﾃﾞﾓ, ２５００００\n0009\t123\t当座\t7654322\tｶ)ﾃｽﾄ\t1000\n\n0009,123,預金,1,ｱ',
    );
    expect(lines.slice(0, 2)).toEqual([
      { bankCode: '0009', branchCode: '123', accountType: 'ORDINARY', accountNumber: '7654321', payeeName: 'ｶ)ﾃﾞﾓ', amount: 250000 },
      { bankCode: '0009', branchCode: '123', accountType: 'CURRENT', accountNumber: '7654322', payeeName: 'ｶ)ﾃｽﾄ', amount: 1000 },
    ]);
    expect(problems).toEqual(['4行目: 項目は6つです（金融機関コード, 支店番号, 科目, 口座番号, 受取人名, 金額）。']);
  });
});
