import type { NoticeRule } from './notices';
import { extend } from '../common/extend';

/** The facts of an audited event a notice may tell: never free text a customer typed (a name could carry a link). */
export interface NoticeFacts {
  occurredAt: Date;
  sourceAddress: string | null;
  actorLoginId: string | null;
  /** The 受付番号 of a payment order. */
  orderId: string | null;
  /** Whole yen: the order's amount or total. */
  amount: number | null;
}

const tokyoTime = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * Anything a mail reader would turn into a link: a scheme, `www.`, or a host name followed by a
 * path. The FSA asks banks to send no links in e-mail, so that a phishing mail with one stands out.
 */
export const LINK_PATTERN = /[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b[a-z0-9-]+(\.[a-z0-9-]+)+\/|https?:/i;

/** A fact as it may be shown: a login ID such as `www.example.jp` is left out rather than sent. */
const safe = (fact: string | null): string | null => (fact && !LINK_PATTERN.test(fact) ? fact : null);

/** Subject and plain-text body, in Japanese, without a link. */
export function noticeText(rule: NoticeRule, given: NoticeFacts, bankName: string): { subject: string; body: string } {
  const facts = extend(given, { sourceAddress: safe(given.sourceAddress), actorLoginId: safe(given.actorLoginId) });
  const lines = [
    rule.says,
    '',
    ...(facts.orderId !== null ? [`受付番号: ${facts.orderId}`] : []),
    ...(facts.amount !== null ? [`金額: ${facts.amount.toLocaleString('ja-JP')}円`] : []),
    `日時: ${tokyoTime.format(facts.occurredAt)}（日本時間）`,
    ...(facts.sourceAddress ? [`接続元IPアドレス: ${facts.sourceAddress}`] : []),
    ...(facts.actorLoginId ? [`操作した利用者ID: ${facts.actorLoginId}`] : []),
    '',
    'お心当たりのない場合は、至急お取引店までお電話でご連絡ください。',
    '当金庫からのメールにリンク（URL）を記載することはありません。リンクのあるメールは開かずに削除してください。',
    '',
    bankName,
  ];
  const text = { subject: `【${bankName}】${rule.subject}のお知らせ`, body: lines.join('\n') };
  // The facts are ours (numbers, an address, a login ID), but a link must never go out whatever they hold.
  if (LINK_PATTERN.test(text.subject) || LINK_PATTERN.test(text.body)) throw new Error('A notice would have carried a link');
  return text;
}
