import { normalizePayeeName } from '../../src/banking/payee-name';
import { EMPTY_DESTINATION, type DirectoryNames } from '../../web/src/common/destination-rules';
import { confirmedDestination, draftProblems, emptyDraft, transferInput, type Draft } from '../../web/src/app/pages/transfer/draft';
import { changeInput, draftOf } from '../../web/src/app/pages/payees/payee-form';

const FOUND: DirectoryNames = {
  bank: { state: 'found', entry: { code: '0009', name: '三井住友', kana: 'ミツイスミトモ' } },
  branch: { state: 'found', entry: { code: '123', name: '立売堀', kana: 'イタチボリ' } },
};

/** A transfer typed by hand the way a person with the IME on types it. */
const typed: Draft = {
  ...emptyDraft('1'),
  transferDate: '2027-02-25',
  amount: '４１，０００',
  destination: {
    ...EMPTY_DESTINATION,
    bankCode: '０００９',
    branchCode: '１２３',
    accountNumber: '１２３－４５６７',
    payeeName: 'か)でも しょうじ',
  },
};

const PAYEE = {
  id: 7,
  nickname: '大阪物産',
  bankCode: '0009',
  bankName: '三井住友',
  branchCode: '123',
  branchName: '立売堀',
  accountType: 'CURRENT' as const,
  accountNumber: '2345678',
  payeeName: 'オオサカブツサン(カ',
};

describe('the web transfer form: what is sent and what is confirmed', () => {
  it('sends digits typed full-width or with hyphens and separators as digits, with the date asked for', () => {
    expect(draftProblems(typed, FOUND)).toEqual({});
    expect(transferInput(typed)).toEqual({
      fromAccountId: 1,
      amount: 41_000,
      transferDate: '2027-02-25',
      destinationBankCode: '0009',
      destinationBranchCode: '123',
      destinationAccountType: 'ORDINARY',
      destinationAccountNumber: '1234567',
      payeeName: 'か)でも しょうじ',
    });
  });

  it('sends a registered payee by its id alone: the server copies its account and name', () => {
    const toPayee: Draft = { ...typed, mode: 'payee', payee: PAYEE };
    expect(transferInput(toPayee)).toEqual({ fromAccountId: 1, amount: 41_000, transferDate: '2027-02-25', payeeId: 7 });
    expect(confirmedDestination(toPayee)).toMatchObject({ nickname: '大阪物産', payeeName: 'オオサカブツサン(カ' });
  });

  it("confirms 受取人名 as the server's own rule records it", () => {
    expect(confirmedDestination(typed).payeeName).toBe('カ)デモ シヨウジ');
    expect(confirmedDestination(typed).payeeName).toBe(normalizePayeeName(typed.destination.payeeName));
  });

  it('says what is wrong, field by field, before anything is sent', () => {
    const unknown: DirectoryNames = { bank: { state: 'unknown' }, branch: { state: 'none' } };
    const wrong: Draft = {
      ...typed,
      amount: '0',
      transferDate: '',
      destination: { ...typed.destination, bankCode: '9999', accountNumber: '12345', payeeName: 'サービス' },
    };
    expect(Object.keys(draftProblems(wrong, unknown)).sort()).toEqual(['accountNumber', 'amount', 'bankCode', 'payeeName', 'transferDate']);
    expect(draftProblems(wrong, unknown).bankCode).toBe('金融機関コード 9999 の金融機関はありません。');
    expect(draftProblems({ ...typed, mode: 'payee', payee: null }, FOUND)).toEqual({ payeeId: '振込先を一覧から選んでください。' });
  });
});

describe('the web payee form: a change sends only what changed', () => {
  it('sends the changed account number alone, as digits', () => {
    const draft = draftOf(PAYEE);
    expect(changeInput(PAYEE, draft)).toEqual({});
    expect(changeInput(PAYEE, { ...draft, destination: { ...draft.destination, accountNumber: '７６５－４３２１' } })).toEqual({
      accountNumber: '7654321',
    });
  });
});
