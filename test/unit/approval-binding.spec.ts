import { canonicalOrder, linesHash, orderBinding, type BoundOrder } from '../../src/banking/orders/approval-binding';
import { boundChallenge } from '../../src/auth/passkeys/passkey-challenges';
import { PasskeyPurpose } from '../../src/auth/passkeys/passkey.entity';

/**
 * 取引認証's canonical form and binding, by golden vectors: the hashes below were computed outside
 * this code (`printf '%s\n%s' 'cibg-order-binding/v1' '<pairs>' | sha256sum`), so a change to the form
 * — which would void every stored approval's binding — fails here first.
 */
const from = { branchCode: '001', accountType: 'ORDINARY', accountNumber: '1234567' };
const transfer: BoundOrder = {
  kind: 'TRANSFER',
  id: 12,
  from,
  to: { bankCode: '0001', branchCode: '100', accountType: 'ORDINARY', accountNumber: '7654321', payeeName: 'カ）デモシヨウジ' },
  amount: 150_000,
  executionDate: '2026-12-07',
};
// Out of line order on purpose: the form reads lines by their number.
const lines = [
  {
    lineNumber: 2,
    bankCode: '0005',
    branchCode: '001',
    accountType: 'CURRENT',
    accountNumber: '0000002',
    payeeName: 'ヤマダ　ハナコ',
    amount: 2000,
  },
  {
    lineNumber: 1,
    bankCode: '0001',
    branchCode: '100',
    accountType: 'ORDINARY',
    accountNumber: '0000001',
    payeeName: 'ヤマダ　タロウ',
    amount: 1000,
  },
];
const bulk: BoundOrder = { kind: 'BULK_TRANSFER', id: 7, from, lines, executionDate: '2026-12-08' };
const salary: BoundOrder = {
  kind: 'SALARY_TRANSFER',
  id: 3,
  from,
  lines,
  executionDate: '2026-12-24',
  payday: '2026-12-25',
  category: 'BONUS',
};

const LINES_HASH = 'b17dfc3b6ff53d54d5925261b27fbe71e30244d0f6c0c00eee984fd5bc0084b4';

describe('取引認証: the canonical form of an order and its binding', () => {
  it('a transfer: version, then kind, id, account paid from, destination, 受取人名 as sent, amount and date, as JSON pairs', () => {
    expect(canonicalOrder(transfer)).toBe(
      'cibg-order-binding/v1\n' +
        '[["kind","TRANSFER"],["id",12],["from",["001","ORDINARY","1234567"]],["to",["0001","100","ORDINARY","7654321"]],' +
        '["payeeName","カ）デモシヨウジ"],["amount",150000],["executionDate","2026-12-07"]]',
    );
    expect(orderBinding(transfer)).toBe('0cd77f6ca05ed2b1fec65bd553e63a86e88c4e040a158e703b493e385eaeb906');
  });

  it('an order of lines: the hash of its lines in line order, their count and total; a salary transfer also its category and payday', () => {
    expect(linesHash(lines)).toBe(LINES_HASH);
    expect(canonicalOrder(bulk)).toBe(
      'cibg-order-binding/v1\n' +
        `[["kind","BULK_TRANSFER"],["id",7],["from",["001","ORDINARY","1234567"]],["linesHash","${LINES_HASH}"],["count",2],["total",3000],` +
        '["executionDate","2026-12-08"]]',
    );
    expect(orderBinding(bulk)).toBe('449c6f4aabba62d3cb8238bae6a397237f7602abf2a17e6072ee48e949adb1a3');
    expect(orderBinding(salary)).toBe('7364fee97931018fb1467ccc5bff430087b107f5bb85798818a565772ad4378f');
  });

  it.each([
    ['the amount', { amount: 150_001 }],
    ['the date', { executionDate: '2026-12-08' }],
    ['the order', { id: 13 }],
    ['the account paid from', { from: { ...from, accountNumber: '1234568' } }],
    ['the destination account', { to: { ...(transfer as { to: object }).to, accountNumber: '7654322' } }],
    ['the 受取人名', { to: { ...(transfer as { to: object }).to, payeeName: 'カ）デモシヨウシ' } }],
  ])('a change of %s changes the binding', (_what, change) => {
    expect(orderBinding({ ...transfer, ...change } as BoundOrder)).not.toBe(orderBinding(transfer));
  });

  it('a change of one line’s amount, payee or account changes a bulk transfer’s binding; the same lines in another order do not', () => {
    const changed = (patch: object) => orderBinding({ ...bulk, lines: [{ ...lines[0], ...patch }, lines[1]] } as BoundOrder);
    expect(changed({ amount: 2001 })).not.toBe(orderBinding(bulk));
    expect(changed({ payeeName: 'ヤマダ　ハナ' })).not.toBe(orderBinding(bulk));
    expect(changed({ accountNumber: '0000003' })).not.toBe(orderBinding(bulk));
    expect(orderBinding({ ...bulk, lines: [lines[1], lines[0]] } as BoundOrder)).toBe(orderBinding(bulk));
  });

  it('a value cannot pass for another: separators inside a name stay inside it', () => {
    const tricky = { ...transfer, to: { ...(transfer as { to: object }).to, payeeName: 'A"],["amount",1' } } as BoundOrder;
    expect(canonicalOrder(tricky)).toContain('["payeeName","A\\"],[\\"amount\\",1"]');
  });

  it('the challenge of a decision depends on its purpose, its user, its binding and its nonce', () => {
    const binding = orderBinding(transfer);
    const base = boundChallenge(PasskeyPurpose.ORDER_APPROVAL, 5, binding, 'nonce-1');
    expect(base).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(boundChallenge(PasskeyPurpose.ORDER_APPROVAL, 5, binding, 'nonce-1')).toBe(base);
    expect(boundChallenge(PasskeyPurpose.ORDER_APPROVAL, 6, binding, 'nonce-1')).not.toBe(base);
    expect(boundChallenge(PasskeyPurpose.ORDER_APPROVAL, 5, orderBinding(bulk), 'nonce-1')).not.toBe(base);
    expect(boundChallenge(PasskeyPurpose.ORDER_APPROVAL, 5, binding, 'nonce-2')).not.toBe(base);
    expect(boundChallenge(PasskeyPurpose.REGISTRATION, 5, binding, 'nonce-1')).not.toBe(base);
  });
});
