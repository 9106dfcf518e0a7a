import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { Account } from '../../src/banking/accounts/account.entity';
import { SalaryTransfer, SalaryTransferLine } from '../../src/banking/salary-transfers/salary-transfer.entity';
import { SALARY_TRANSFER } from '../../src/banking/salary-transfers/salary-transfer.kind';
import { Contract } from '../../src/contract/contract.entity';
import { Permission, User } from '../../src/users/user.entity';
import { BULK_TRANSFER } from '../../src/banking/bulk-transfers/bulk-transfer.kind';
import { nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { businessDate } from '../../src/banking/calendar/business-day';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { TRANSFER } from '../../src/banking/transfers/transfer.kind';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { demoPaths } from '../../src/demo/demo-data';
import { ACCOUNTS, CREATE_TRANSFER, bulkLines, transferInput } from '../helpers/banking';
import { CertificatePolicy, Pc, expectOnlyGateway, latinWords, openBrowser, screenshot, type Session } from '../helpers/browser';
import type { GraphqlClient } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

// One file on purpose: the tests share one gateway, one approver's PC with its virtual authenticator, and run in order.

/**
 * 取引認証 in Chromium, with the DevTools virtual authenticator standing in for the PC's fingerprint
 * reader: the approver registers a passkey, approves with it after seeing payee, amount and date; an
 * approval without one where it is required is refused with PASSKEY_REQUIRED; an assertion made for
 * one order does not approve another, a replayed one does nothing, one without user verification
 * is refused; an order changed in the database after its approval is not executed.
 */
describe('取引認証: approvals bound to the exact order, with a passkey', () => {
  let gw: TestGateway;
  let policy: CertificatePolicy;
  let maker: GraphqlClient;
  let approver: Session;
  let cdp: CDPSession;
  let authenticatorId: string;
  let accountId: number;
  const pcs: Pc[] = [];

  const pw = (loginId: DemoLoginId) => gw.credentials(loginId).confirmationPassword;
  const today = () => businessDate(gw.clock.now());

  beforeAll(async () => {
    // No cut-off and no closed days, whatever the day and hour of the run; 取引認証 from 100,000 yen
    // (the bank's rule for a contract that chose neither REQUIRED nor OPTIONAL).
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none', PASSKEY_APPROVAL_REQUIRED_FROM: '100000' });
    policy = CertificatePolicy.install();
    maker = await sessionAs(gw, 'user01');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;

    const pc = Pc.create(gw.caPem);
    pcs.push(pc);
    pc.importP12(demoPaths(gw.config.pki.certsDir, 'user02').p12, gw.credentials('user02').p12Password);
    approver = await openBrowser(pc, path.join(pc.home, 'Downloads'));
    // The PC's platform authenticator with a fingerprint reader: user verification succeeds until a test says otherwise.
    cdp = await approver.context.newCDPSession(approver.page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
    await logIn();
  });

  async function logIn(): Promise<void> {
    const { page } = approver;
    await page.goto(`${gw.apiOrigin}/`);
    await page.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials('user02').loginPassword);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('heading', { name: 'トップ' }).waitFor();
  }

  afterAll(async () => {
    await approver?.browser.close().catch(() => undefined);
    pcs.forEach((pc) => pc.remove());
    policy?.remove();
    await gw?.stop();
  });

  async function transfer(amount: number, overrides: Record<string, unknown> = {}): Promise<number> {
    const made = await maker.query(CREATE_TRANSFER, { input: transferInput(accountId, amount, overrides), pw: pw('user01') });
    expect(made.body.errors).toBeUndefined();
    return made.body.data.createTransfer.id;
  }

  /** GraphQL from the approver's page, with the approver's browser session (an API login would end it). */
  function inPage(query: string, variables: Record<string, unknown>): Promise<{ data?: any; errors?: any[] }> {
    return inPageOf(approver.page, query, variables);
  }

  /** GraphQL from a page, with that browser's session. */
  async function inPageOf(page: Page, query: string, variables: Record<string, unknown>): Promise<{ data?: any; errors?: any[] }> {
    return page.evaluate(
      async ({ query, variables }): Promise<{ data?: any; errors?: any[] }> => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as { data?: any; errors?: any[] };
      },
      { query, variables },
    );
  }

  /** What an attacker holding the page could do: ask the authenticator for an assertion over given options, without the app. */
  function assertionFor(page: Page, optionsJSON: string): Promise<string> {
    return page.evaluate(async (json) => {
      const o = JSON.parse(json);
      const bytes = (s: string) =>
        Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
      const text = (buffer: ArrayBuffer) =>
        btoa(String.fromCharCode(...new Uint8Array(buffer)))
          .replace(/\+/g, '-')
          .replace(/\//g, '_')
          .replace(/=+$/, '');
      // The page's own WebAuthn API (this file is compiled without the DOM's types).
      const { navigator } = globalThis as any;
      const credential = (await navigator.credentials.get({
        publicKey: {
          challenge: bytes(o.challenge),
          rpId: o.rpId,
          allowCredentials: o.allowCredentials.map((c: { id: string }) => ({ type: 'public-key', id: bytes(c.id) })),
          userVerification: o.userVerification,
          timeout: o.timeout,
        },
      })) as { id: string; rawId: ArrayBuffer; type: string; response: Record<string, ArrayBuffer | null> };
      const r = credential.response as {
        clientDataJSON: ArrayBuffer;
        authenticatorData: ArrayBuffer;
        signature: ArrayBuffer;
        userHandle: ArrayBuffer | null;
      };
      return JSON.stringify({
        id: credential.id,
        rawId: text(credential.rawId),
        type: credential.type,
        clientExtensionResults: {},
        response: {
          clientDataJSON: text(r.clientDataJSON),
          authenticatorData: text(r.authenticatorData),
          signature: text(r.signature),
          ...(r.userHandle ? { userHandle: text(r.userHandle) } : {}),
        },
      });
    }, optionsJSON);
  }

  const BEGIN = 'mutation($id: Int!) { beginTransferApproval(transferId: $id) { publicKeyOptions binding } }';
  const APPROVE_WITH =
    'mutation($id: Int!, $pw: String!, $a: String) { approveTransfer(transferId: $id, confirmationPassword: $pw, passkeyAssertion: $a) { id status approvalBinding } }';

  const statusOf = async (id: number) => (await gw.gateway.services.db.writableManager.findOneByOrFail(Transfer, { id })).status;
  const auditActions = async (targetId: number) =>
    (await gw.gateway.services.db.writableManager.find(AuditEvent, { where: { targetId: String(targetId) }, order: { id: 'ASC' } })).map(
      (event) => [event.action, event.outcome, (event.detail ? (JSON.parse(event.detail) as { reason?: string }).reason : null) ?? null],
    );

  async function openApproval(id: number): Promise<void> {
    const { page } = approver;
    await page.goto(`${gw.apiOrigin}/#/transfers/single/${id}`);
    await page.getByRole('button', { name: '承認…' }).click();
    await page.getByLabel('確認用パスワード').fill(pw('user02'));
  }

  it('an approval over the amount without a passkey is refused with PASSKEY_REQUIRED, said in Japanese, and changes nothing', async () => {
    const id = await transfer(120_000);
    await openApproval(id);
    await approver.page.getByRole('button', { name: '承認する' }).click();
    const alert = approver.page.getByRole('alert').filter({ hasText: '取引認証' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('には取引認証（パスキーによる本人確認）が必要です。');
    expect(await statusOf(id)).toBe('PENDING_APPROVAL');
    expect(await auditActions(id)).toContainEqual(['PASSKEY_REQUIRED_REFUSED', 'FAILURE', null]);
    // The code itself, as a program sees it.
    const refused = await inPage(APPROVE_WITH, { id, pw: pw('user02'), a: null });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'PASSKEY_REQUIRED', field: 'passkeyAssertion', requiredFrom: 100000 });
    await screenshot(approver.page, 'passkey-01-required');
  });

  it('the approver registers a passkey with the confirmation password (user verification), named and listed', async () => {
    const { page } = approver;
    await page.getByRole('link', { name: 'パスキー管理' }).click();
    await page.getByTestId('no-passkeys').waitFor();
    await page.getByLabel('パスキーの名前').fill('承認用パソコン');
    await page.getByLabel('確認用パスワード').fill(pw('user02'));
    await page.getByRole('button', { name: 'パスキーを登録する' }).click();
    await page.getByText('パスキー「承認用パソコン」を登録しました。').waitFor();
    const rows = await page
      .getByTestId('passkeys')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent));
    expect(rows).toEqual(['承認用パソコン']);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'passkey-02-registered');
  });

  it('approving shows payee, amount and date before the prompt; the passkey approves exactly that order, which runs', async () => {
    const id = await transfer(130_000);
    await openApproval(id);
    const facts = approver.page.getByTestId('passkey-facts');
    await facts.waitFor();
    const shown = (await facts.textContent())!;
    expect(shown).toContain('¥130,000');
    expect(shown).toContain('7654321');
    expect(shown).toContain(today().replaceAll('-', '/'));
    await screenshot(approver.page, 'passkey-03-before-prompt');
    await approver.page.getByRole('button', { name: 'パスキーで承認する' }).click();
    await approver.page.getByText(`受付番号 ${id} を承認しました`).waitFor();
    expect(await statusOf(id)).toBe('EXECUTED');
    const order = await gw.gateway.services.db.writableManager.findOneByOrFail(Transfer, { id });
    expect(order.approvalBinding).toMatch(/^[0-9a-f]{64}$/);
    expect(order.approvalPasskeyId).not.toBeNull();
    expect((await auditActions(id)).map(([action]) => action)).toEqual(
      expect.arrayContaining(['PASSKEY_APPROVAL_CHALLENGE_ISSUED', 'PASSKEY_ASSERTION_VERIFIED', 'TRANSFER_APPROVED', 'TRANSFER_EXECUTED']),
    );
    expectOnlyGateway(approver, [gw.apiOrigin, gw.enrollOrigin]);
  });

  it('an assertion made for order A does not approve order B, and the same assertion replayed for A does nothing either', async () => {
    const a = await transfer(140_000);
    const b = await transfer(140_000);
    const begun = await inPage(BEGIN, { id: a });
    expect(begun.errors).toBeUndefined();
    const forA = await assertionFor(approver.page, begun.data.beginTransferApproval.publicKeyOptions);

    const onB = await inPage(APPROVE_WITH, { id: b, pw: pw('user02'), a: forA });
    expect(onB.errors?.[0].extensions).toMatchObject({ code: 'PASSKEY_VERIFICATION_FAILED', reason: 'OTHER_ORDER' });
    // The challenge was used by that attempt: presented again, for the very order it was made for, it is a replay.
    const replayed = await inPage(APPROVE_WITH, { id: a, pw: pw('user02'), a: forA });
    expect(replayed.errors?.[0].extensions).toMatchObject({ code: 'PASSKEY_VERIFICATION_FAILED', reason: 'CHALLENGE_USED' });
    expect([await statusOf(a), await statusOf(b)]).toEqual(['PENDING_APPROVAL', 'PENDING_APPROVAL']);
    expect(await auditActions(b)).toContainEqual(['PASSKEY_ASSERTION_FAILED', 'FAILURE', 'OTHER_ORDER']);
    expect(await auditActions(a)).toContainEqual(['PASSKEY_ASSERTION_FAILED', 'FAILURE', 'CHALLENGE_USED']);

    // Two requests at once with one fresh assertion: exactly one approval.
    const again = await inPage(BEGIN, { id: a });
    const fresh = await assertionFor(approver.page, again.data.beginTransferApproval.publicKeyOptions);
    const both = await Promise.all([1, 2].map(() => inPage(APPROVE_WITH, { id: a, pw: pw('user02'), a: fresh })));
    expect(both.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(await statusOf(a)).toBe('EXECUTED');
  });

  it('an order changed after the challenge is refused at the decision (ORDER_CHANGED)', async () => {
    const id = await transfer(150_000);
    const begun = await inPage(BEGIN, { id });
    const assertion = await assertionFor(approver.page, begun.data.beginTransferApproval.publicKeyOptions);
    await gw.gateway.services.db.writableManager.update(Transfer, { id }, { payeeName: 'ｶ)ﾍﾞﾂｼﾔ' });
    const refused = await inPage(APPROVE_WITH, { id, pw: pw('user02'), a: assertion });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'PASSKEY_VERIFICATION_FAILED', reason: 'ORDER_CHANGED' });
    expect(await statusOf(id)).toBe('PENDING_APPROVAL');
  });

  it('without user verification (the authenticator cannot verify the person) nothing is approved', async () => {
    const id = await transfer(160_000);
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    try {
      await openApproval(id);
      await approver.page.getByTestId('passkey-facts').waitFor();
      await approver.page.getByRole('button', { name: 'パスキーで承認する' }).click();
      const alert = approver.page.getByRole('alert').filter({ hasText: '何も行っていません' });
      await alert.waitFor();
      expect(await statusOf(id)).toBe('PENDING_APPROVAL');
      await screenshot(approver.page, 'passkey-04-not-verified');
    } finally {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    }
  });

  it('a bulk transfer under a contract that chose REQUIRED: refused without a passkey whatever its amount, approved with one', async () => {
    const operator = await sessionAs(gw, 'operator01');
    const contractId = (await gw.gateway.services.db.writableManager.findOneByOrFail(Account, { id: accountId })).contractId;
    const set = await operator.query(
      'mutation($c: Int!, $pw: String!) { setContractPasskeyApproval(contractId: $c, rule: REQUIRED, note: "取引認証の申込書（お届け印確認済み）", confirmationPassword: $pw) { passkeyApproval } }',
      { c: contractId, pw: pw('operator01') },
    );
    expect(set.body.data.setContractPasskeyApproval.passkeyApproval).toBe('REQUIRED');
    const made = await maker.query(
      'mutation($a: Int!, $l: [BulkTransferLineInput!]!, $pw: String!) { createBulkTransfer(fromAccountId: $a, lines: $l, confirmationPassword: $pw) { id } }',
      { a: accountId, l: bulkLines(3, () => 10_000), pw: pw('user01') },
    );
    expect(made.body.errors).toBeUndefined();
    const id: number = made.body.data.createBulkTransfer.id;
    const plain = await inPage(
      'mutation($id: Int!, $pw: String!) { approveBulkTransfer(bulkTransferId: $id, confirmationPassword: $pw) { id } }',
      {
        id,
        pw: pw('user02'),
      },
    );
    expect(plain.errors?.[0].extensions).toMatchObject({ code: 'PASSKEY_REQUIRED' });
    expect(plain.errors?.[0].extensions.requiredFrom).toBeUndefined();

    const { page } = approver;
    await page.goto(`${gw.apiOrigin}/#/transfers/bulk/${id}`);
    await page.getByRole('button', { name: '承認…' }).click();
    await page.getByLabel('確認用パスワード').fill(pw('user02'));
    const facts = (await page.getByTestId('passkey-facts').textContent())!;
    expect(facts).toContain('3件 ¥30,000');
    await page.getByRole('button', { name: 'パスキーで承認する' }).click();
    await page.getByText(`受付番号 ${id} を承認しました`).waitFor();
    const order = await gw.gateway.services.db.writableManager.findOneByOrFail(BULK_TRANSFER.entity, { id });
    expect(order.status).toBe('EXECUTED');
    expect(order.approvalPasskeyId).not.toBeNull();
  });

  it('an order altered in the database between approval and execution is not executed (APPROVAL_BINDING_MISMATCH); an unaltered one runs (it moves the clock to the next business day)', async () => {
    const day = nextBusinessDay(today());
    const altered = await transfer(170_000, { transferDate: day });
    const kept = await transfer(180_000, { transferDate: day });
    for (const id of [altered, kept]) {
      await openApproval(id);
      await approver.page.getByRole('button', { name: 'パスキーで承認する' }).click();
      await approver.page.getByText(`受付番号 ${id} を承認しました`).waitFor();
      expect(await statusOf(id)).toBe('SCHEDULED');
    }
    // Someone with database access redirects the approved order to another account.
    await gw.gateway.services.db.writableManager.update(Transfer, { id: altered }, { destinationAccountNumber: '1111111' });
    gw.clock.moveTo(new Date(`${day}T01:00:00Z`)); // 10:00 in Tokyo on its day
    const execution = gw.gateway.services.orderExecution;
    expect(await execution.runScheduled(TRANSFER, altered)).toBe('failed');
    expect(await execution.runScheduled(TRANSFER, kept)).toBe('executed');
    const order = await gw.gateway.services.db.writableManager.findOneByOrFail(Transfer, { id: altered });
    expect([order.status, order.failureCode]).toEqual(['FAILED', 'APPROVAL_BINDING_MISMATCH']);
    expect((await auditActions(altered)).map(([action]) => action)).toContain('APPROVAL_BINDING_MISMATCH');
    // The approver (whose session the night ended: idle timeout) logs in again and reads why, in Japanese.
    await logIn();
    await approver.page.goto(`${gw.apiOrigin}/#/transfers/single/${altered}`);
    await approver.page.getByText('承認したあとで振込の内容が変わっていたため、実行しませんでした。').waitFor();
  });

  it('a salary transfer (the third kind, approved through the same path): its lines bound by their hash; a line altered after approval stops it at its debit date', async () => {
    // The 給与振込 agreement, as the bank and the administrator would set it (not what this test is about).
    const db = gw.gateway.services.db.writableManager;
    const contractId = (await db.findOneByOrFail(Account, { id: accountId })).contractId;
    await db.update(Contract, { id: contractId }, { dailySalaryTransferLimit: 5_000_000 });
    for (const [loginId, permission] of [
      ['user01', Permission.SALARY_TRANSFER],
      ['user02', Permission.SALARY_APPROVAL],
    ] as const) {
      const user = await db.findOneByOrFail(User, { loginId });
      await db.update(User, { id: user.id }, { permissions: [...user.permissions, permission] });
    }
    maker = await sessionAs(gw, 'user01');
    let payday = today();
    for (let i = 0; i < 8; i++) payday = nextBusinessDay(payday);
    const made = await maker.query(
      'mutation($i: CreateSalaryTransferInput!, $pw: String!) { createSalaryTransfer(input: $i, confirmationPassword: $pw) { id executionDate } }',
      { i: { fromAccountId: accountId, category: 'SALARY', payday, lines: bulkLines(2, (n) => 50_000 * n) }, pw: pw('user01') },
    );
    expect(made.body.errors).toBeUndefined();
    const { id, executionDate } = made.body.data.createSalaryTransfer;
    const begun = await inPage('mutation($id: Int!) { beginSalaryTransferApproval(salaryTransferId: $id) { publicKeyOptions } }', { id });
    expect(begun.errors).toBeUndefined();
    const assertion = await assertionFor(approver.page, begun.data.beginSalaryTransferApproval.publicKeyOptions);
    const approved = await inPage(
      'mutation($id: Int!, $pw: String!, $a: String) { approveSalaryTransfer(salaryTransferId: $id, confirmationPassword: $pw, passkeyAssertion: $a) { status approvalBinding } }',
      { id, pw: pw('user02'), a: assertion },
    );
    expect(approved.errors).toBeUndefined();
    expect(approved.data.approveSalaryTransfer.status).toBe('SCHEDULED');

    // One employee's pay raised in the database after the approval: the lines' hash no longer matches.
    await db.update(SalaryTransferLine, { salaryTransferId: id, lineNumber: 2 }, { amount: 900_000 });
    gw.clock.moveTo(new Date(`${executionDate}T01:00:00Z`));
    expect(await gw.gateway.services.orderExecution.runScheduled(SALARY_TRANSFER, id)).toBe('failed');
    const order = await db.findOneByOrFail(SalaryTransfer, { id });
    expect([order.status, order.failureCode]).toEqual(['FAILED', 'APPROVAL_BINDING_MISMATCH']);
    await logIn(); // the approver's session ended while the clock moved
  });

  it('the approver removes the passkey with the confirmation password; approvals then need one again', async () => {
    const { page } = approver;
    await page.goto(`${gw.apiOrigin}/#/passkeys`);
    await page.getByTestId('passkeys').getByRole('button', { name: '削除…' }).click();
    await page.getByRole('form', { name: 'パスキーの削除' }).getByLabel('確認用パスワード').fill(pw('user02'));
    await page.getByRole('button', { name: '削除する' }).click();
    await page.getByText('パスキー「承認用パソコン」を削除しました。').waitFor();
    await page.getByTestId('no-passkeys').waitFor();
    maker = await sessionAs(gw, 'user01'); // the maker's session, too, ended overnight
    const id = await transfer(190_000);
    const begun = await inPage(BEGIN, { id });
    expect(begun.errors?.[0].extensions.code).toBe('PASSKEY_REQUIRED');
  });
  it('the administrator removes a user’s passkey from IDメンテナンス, with the administrator’s confirmation password', async () => {
    const { page } = approver;
    await page.goto(`${gw.apiOrigin}/#/passkeys`);
    await page.getByLabel('パスキーの名前').fill('予備のパソコン');
    await page.getByLabel('確認用パスワード').fill(pw('user02'));
    await page.getByRole('button', { name: 'パスキーを登録する' }).click();
    await page.getByText('パスキー「予備のパソコン」を登録しました。').waitFor();

    const pc = Pc.create(gw.caPem);
    pcs.push(pc);
    pc.importP12(demoPaths(gw.config.pki.certsDir, 'admin01').p12, gw.credentials('admin01').p12Password);
    const admin = await openBrowser(pc, path.join(pc.home, 'Downloads'));
    try {
      await admin.page.goto(`${gw.apiOrigin}/`);
      await admin.page.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials('admin01').loginPassword);
      await admin.page.getByRole('button', { name: 'ログイン' }).click();
      await admin.page.getByRole('heading', { name: 'トップ' }).waitFor();
      const user02 = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user02' });
      await admin.page.goto(`${gw.apiOrigin}/#/admin/users/${user02.id}`);
      const section = admin.page.getByTestId('user-passkeys');
      await section.getByText('予備のパソコン').waitFor();
      await admin.page.getByLabel('確認用パスワード（管理者）').fill(pw('admin01'));
      await section.getByRole('button', { name: '削除する' }).click();
      await section.getByText('パスキー「予備のパソコン」を削除しました。').waitFor();
      expect(latinWords((await admin.page.locator('main').textContent())!)).toEqual([]);
      await screenshot(admin.page, 'passkey-05-admin-removed');
    } finally {
      await admin.browser.close().catch(() => undefined);
    }
    const removed = await gw.gateway.services.db.writableManager.find(AuditEvent, { where: { action: 'PASSKEY_REMOVED' as never } });
    expect(removed.map((event) => event.actorLoginId)).toEqual(['user02', 'admin01']);
  });
  it('the administrator’s raise of a limit takes 取引認証 under REQUIRED: refused without a passkey, made with one after seeing it, and an assertion for one raise does not make another', async () => {
    const pc = Pc.create(gw.caPem);
    pcs.push(pc);
    pc.importP12(demoPaths(gw.config.pki.certsDir, 'admin01').p12, gw.credentials('admin01').p12Password);
    const admin = await openBrowser(pc, path.join(pc.home, 'Downloads'));
    const { page } = admin;
    const user01 = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user01' });
    const limitsOf = async () => {
      const { transferLimitPerTransaction, dailyTransferLimit } = await gw.gateway.services.db.writableManager.findOneByOrFail(User, {
        id: user01.id,
      });
      return { transferLimitPerTransaction, dailyTransferLimit };
    };
    const before = await limitsOf();
    const raised = {
      transferLimitPerTransaction: before.transferLimitPerTransaction + 100_000,
      dailyTransferLimit: before.dailyTransferLimit + 200_000,
    };
    try {
      const adminCdp = await admin.context.newCDPSession(page);
      await adminCdp.send('WebAuthn.enable', { enableUI: false });
      await adminCdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      await page.goto(`${gw.apiOrigin}/`);
      await page.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials('admin01').loginPassword);
      await page.getByRole('button', { name: 'ログイン' }).click();
      await page.getByRole('heading', { name: 'トップ' }).waitFor();

      // The contract chose REQUIRED (above) and the administrator has no passkey yet: refused, said in Japanese, nothing changed.
      const saveRaise = async () => {
        await page.goto(`${gw.apiOrigin}/#/admin/users/${user01.id}`);
        await page.getByLabel('1回あたり（円）').fill(String(raised.transferLimitPerTransaction));
        await page.getByLabel('1日あたり（円）').fill(String(raised.dailyTransferLimit));
        await page.getByLabel('確認用パスワード（管理者）').fill(pw('admin01'));
      };
      await saveRaise();
      await page.getByRole('button', { name: '利用限度額を保存' }).click();
      const alert = page.getByRole('alert').filter({ hasText: '取引認証' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('には取引認証（パスキーによる本人確認）が必要です。');
      expect(await limitsOf()).toEqual(before);

      await page.goto(`${gw.apiOrigin}/#/passkeys`);
      await page.getByLabel('パスキーの名前').fill('管理者のパソコン');
      await page.getByLabel('確認用パスワード').fill(pw('admin01'));
      await page.getByRole('button', { name: 'パスキーを登録する' }).click();
      await page.getByText('パスキー「管理者のパソコン」を登録しました。').waitFor();

      // What the passkey confirms is shown before the prompt; then the raise is made.
      await saveRaise();
      const confirmation = page.getByTestId('change-confirmation');
      await confirmation.waitFor();
      const shown = (await confirmation.textContent())!;
      expect(shown).toContain(`¥${raised.dailyTransferLimit.toLocaleString('en-US')}`);
      expect(shown).toContain('user01');
      expect(latinWords((await page.locator('main').textContent())!).filter((w) => w !== 'user01')).toEqual([]);
      await screenshot(page, 'passkey-06-limit-raise-before-prompt');
      await page.getByRole('button', { name: '利用限度額を保存' }).click();
      await page.getByText('利用限度額を変更しました。').waitFor();
      expect(await limitsOf()).toEqual(raised);

      // An assertion over the challenge for one raise, sent with another: refused, nothing changed.
      const asked = {
        transferLimitPerTransaction: raised.transferLimitPerTransaction + 1,
        dailyTransferLimit: raised.dailyTransferLimit + 1,
      };
      const begun = await inPageOf(
        page,
        'mutation($u: Int!, $l: UserLimitsInput!) { beginSetUserLimits(userId: $u, limits: $l) { publicKeyOptions } }',
        {
          u: user01.id,
          l: asked,
        },
      );
      const assertion = await assertionFor(page, begun.data.beginSetUserLimits.publicKeyOptions);
      const other = await inPageOf(
        page,
        'mutation($u: Int!, $l: UserLimitsInput!, $pw: String!, $a: String) { setUserLimits(userId: $u, limits: $l, confirmationPassword: $pw, passkeyAssertion: $a) { id } }',
        { u: user01.id, l: { ...asked, dailyTransferLimit: asked.dailyTransferLimit * 10 }, pw: pw('admin01'), a: assertion },
      );
      expect(other.errors?.[0].extensions).toMatchObject({ code: 'PASSKEY_VERIFICATION_FAILED', reason: 'ORDER_CHANGED' });
      expect(await limitsOf()).toEqual(raised);
    } finally {
      await admin.browser.close().catch(() => undefined);
    }
  });
});
