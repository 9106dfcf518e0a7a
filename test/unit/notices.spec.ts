import { AuditAction } from '../../src/audit/audit-action';
import { retryDelaySeconds } from '../../src/notices/notice-sender';
import { LINK_PATTERN, noticeText, type NoticeFacts } from '../../src/notices/notice-text';
import { NOTICES } from '../../src/notices/notices';

const facts: NoticeFacts = {
  occurredAt: new Date('2026-12-07T01:02:03Z'),
  sourceAddress: '203.0.113.9',
  actorLoginId: 'user01',
  orderId: '42',
  amount: 1_234_567,
};

describe('notice texts', () => {
  it('every notifiable action has a Japanese subject and body without a link', () => {
    expect(Object.keys(NOTICES).length).toBeGreaterThan(20);
    for (const rule of Object.values(NOTICES)) {
      const text = noticeText(rule, facts, '昭和信用金庫');
      expect(text.subject).toBe(`【昭和信用金庫】${rule.subject}のお知らせ`);
      expect(text.subject).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(text.body.startsWith(rule.says)).toBe(true);
      expect(text.body).not.toMatch(LINK_PATTERN);
      expect(text.body).not.toMatch(/http|www/i);
    }
  });

  it('an order notice says its 受付番号, amount in yen, time in Japan and address', () => {
    const text = noticeText(NOTICES[AuditAction.TRANSFER_EXECUTED]!, facts, '昭和信用金庫');
    expect(text.body).toContain('受付番号: 42');
    expect(text.body).toContain('金額: 1,234,567円');
    expect(text.body).toContain('日時: 2026年12月7日 10:02:03（日本時間）');
    expect(text.body).toContain('接続元IPアドレス: 203.0.113.9');
  });

  it('a login ID that reads as a host name is left out, not sent as a link', () => {
    const text = noticeText(NOTICES[AuditAction.LOGIN]!, { ...facts, actorLoginId: 'www.example.jp' }, '昭和信用金庫');
    expect(text.body).not.toContain('example');
    expect(text.body).not.toMatch(LINK_PATTERN);
  });

  it('the link pattern catches schemes, www. and host paths, and leaves addresses and times alone', () => {
    for (const link of ['https://ib.example.jp', 'http:', 'hxxp://a', 'www.example.jp', 'example.co.jp/login', 'ftp://a.b']) {
      expect(link).toMatch(LINK_PATTERN);
    }
    for (const fact of ['203.0.113.9', '::ffff:127.0.0.1', '2026年12月7日 10:02:03', 'user01', '1,234,567円']) {
      expect(fact).not.toMatch(LINK_PATTERN);
    }
  });

  it('retries wait 1, 2, 4 … minutes, at most an hour', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(retryDelaySeconds)).toEqual([60, 120, 240, 480, 3600, 3600, 3600]);
  });
});
