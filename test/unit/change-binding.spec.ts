import { canonicalChange, changeBinding, changeTarget, type BoundChange } from '../../src/auth/passkeys/change-binding';

/**
 * 取引認証 for the administrator's risky changes: the canonical form and binding, by golden vectors
 * computed outside this code (`printf '%s\n%s' 'cibg-change-binding/v1' '<pairs>' | sha256sum`), so a
 * change to the form fails here first.
 */
const destination = {
  bankCode: '0001',
  branchCode: '100',
  accountType: 'ORDINARY',
  accountNumber: '7654321',
  payeeName: 'カ）デモシヨウジ',
};
const newUser: BoundChange = {
  kind: 'NEW_USER',
  contractId: 3,
  loginId: 'KEIRI02',
  displayName: '経理 花子',
  role: 'USER',
  // Out of order and doubled on purpose: the form keeps a set.
  permissions: ['TRANSFER', 'ACCOUNT_INQUIRY', 'TRANSFER'],
  transferLimitPerTransaction: 500_000,
  dailyTransferLimit: 2_000_000,
};
const limits: BoundChange = {
  kind: 'USER_LIMITS',
  contractId: 3,
  userId: 41,
  transferLimitPerTransaction: 1_000_000,
  dailyTransferLimit: 5_000_000,
};
const ipList: BoundChange = {
  kind: 'IP_ALLOW_LIST',
  contractId: 3,
  entries: ['203.0.113.7/32', '2001:db8::/32', '192.0.2.0/24', '192.0.2.0/24'],
};
const newPayee: BoundChange = { kind: 'PAYEE', contractId: 3, payeeId: null, destination };
const changedPayee: BoundChange = { kind: 'PAYEE', contractId: 3, payeeId: 9, destination };

const V = 'cibg-change-binding/v1\n';

describe('取引認証 of a risky change: its canonical form and binding', () => {
  it('a new user: contract, login ID, name, role, permissions as a sorted set, both limits', () => {
    expect(canonicalChange(newUser)).toBe(
      V +
        '[["kind","NEW_USER"],["contractId",3],["loginId","KEIRI02"],["displayName","経理 花子"],["role","USER"],' +
        '["permissions",["ACCOUNT_INQUIRY","TRANSFER"]],["transferLimitPerTransaction",500000],["dailyTransferLimit",2000000]]',
    );
    expect(changeBinding(newUser)).toBe('73f0cbaebac98eefc282bc05b724234e1db28afc4f421ecc3d31bffd4b7af6ea');
  });

  it('a new user with a notice address: the address is bound too (only when given, so a user without one hashes as before)', () => {
    const withAddress: BoundChange = { ...newUser, emailAddress: 'keiri02@demo-shoji.example' } as BoundChange;
    expect(canonicalChange(withAddress)).toBe(
      V +
        '[["kind","NEW_USER"],["contractId",3],["loginId","KEIRI02"],["displayName","経理 花子"],["role","USER"],' +
        '["permissions",["ACCOUNT_INQUIRY","TRANSFER"]],["transferLimitPerTransaction",500000],["dailyTransferLimit",2000000],' +
        '["emailAddress","keiri02@demo-shoji.example"]]',
    );
    expect(changeBinding(withAddress)).toBe('f0d70e43cd155defcaca7ff9adf62c011950b1a6295586cfb44e21a93ba8e820');
    expect(changeBinding({ ...newUser, emailAddress: null } as BoundChange)).toBe(changeBinding(newUser));
  });

  it('limits: the user and the new per-transfer and daily limits', () => {
    expect(canonicalChange(limits)).toBe(
      V + '[["kind","USER_LIMITS"],["contractId",3],["userId",41],["transferLimitPerTransaction",1000000],["dailyTransferLimit",5000000]]',
    );
    expect(changeBinding(limits)).toBe('39924c3287d97fd8b5110b750af4f436640167d731613535a2262778f3da64a1');
  });

  it('the IP allow-list: its entries sorted and unique, so the order typed does not matter', () => {
    expect(canonicalChange(ipList)).toBe(
      V + '[["kind","IP_ALLOW_LIST"],["contractId",3],["entries",["192.0.2.0/24","2001:db8::/32","203.0.113.7/32"]]]',
    );
    expect(changeBinding(ipList)).toBe('3387ace0983c4377acf891780be75f73ea696f2d0f20b0ea33634ae8f113a0b3');
    expect(changeBinding({ ...ipList, entries: ['192.0.2.0/24', '203.0.113.7/32', '2001:db8::/32'] })).toBe(changeBinding(ipList));
  });

  it('a payee: new (no id) or changed (its id), bank, branch, type, account and 受取人名 — the nickname is no part of it', () => {
    expect(canonicalChange(newPayee)).toBe(
      V +
        '[["kind","PAYEE"],["contractId",3],["payeeId",null],["to",["0001","100","ORDINARY","7654321"]],["payeeName","カ）デモシヨウジ"]]',
    );
    expect(changeBinding(newPayee)).toBe('bfc45b72441b23de130bdfd5ef06b714642344790681c6cc94f9b11093105879');
    expect(changeBinding(changedPayee)).toBe('5f0c4c4a74d6a02f93c9d21fd205790e383f1208cee909170234ad1aa5dcec20');
  });

  it('any one value changed changes the binding; a value cannot pass for another', () => {
    const variants: BoundChange[] = [
      { ...limits, userId: 42 },
      { ...limits, contractId: 4 },
      { ...limits, dailyTransferLimit: 5_000_001 },
      { ...limits, transferLimitPerTransaction: 5_000_000, dailyTransferLimit: 1_000_000 },
      { ...newUser, loginId: 'KEIRI03' },
      { ...newUser, permissions: ['ACCOUNT_INQUIRY', 'TRANSFER', 'TRANSFER_APPROVAL'] },
      { ...ipList, entries: ['0.0.0.0/0'] },
      { ...newPayee, destination: { ...destination, accountNumber: '7654322' } },
      { ...newPayee, destination: { ...destination, payeeName: 'カ）デモシヨウジ","x' } },
    ];
    const bindings = new Set([limits, newUser, ipList, newPayee, changedPayee, ...variants].map(changeBinding));
    expect(bindings.size).toBe(5 + variants.length);
  });

  it('the challenge names the thing changed: the user, the payee, or the contract for what is new or contract-wide', () => {
    expect(changeTarget(limits)).toEqual({ targetType: 'User', targetId: 41 });
    expect(changeTarget(changedPayee)).toEqual({ targetType: 'Payee', targetId: 9 });
    expect(changeTarget(newPayee)).toEqual({ targetType: 'Contract', targetId: 3 });
    expect(changeTarget(newUser)).toEqual({ targetType: 'Contract', targetId: 3 });
    expect(changeTarget(ipList)).toEqual({ targetType: 'Contract', targetId: 3 });
  });
});
