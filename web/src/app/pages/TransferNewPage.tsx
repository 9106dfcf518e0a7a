import { useEffect, useState } from 'preact/hooks';
import { typedNumber, yen } from '../../common/format';
import { ACCOUNT_TYPE, TRANSFER_STATUS, accountText, chosenAccountText, label } from '../../common/labels';
import { ErrorBox, Field, NoAccounts, Notice, PasswordField, Select, useAction } from '../../common/ui';
import { gql } from '../../graphql/client';
import {
  AccountChoicesDocument,
  CreateTransferDocument,
  type AccountChoicesQuery,
  type AccountType,
  type CreateTransferMutation,
} from '../../graphql/api.generated';
import { can, type Me } from '../session';

interface Draft {
  fromAccountId: string;
  destinationBankCode: string;
  destinationBranchCode: string;
  destinationAccountType: AccountType;
  destinationAccountNumber: string;
  payeeName: string;
  amount: string;
}

const EMPTY: Draft = {
  fromAccountId: '',
  destinationBankCode: '',
  destinationBranchCode: '',
  destinationAccountType: 'ORDINARY',
  destinationAccountNumber: '',
  payeeName: '',
  amount: '',
};

/** The draft with its codes and amount as digits, however they were typed (０００９, 123-4567, 250,000). */
function normalized(d: Draft): Draft {
  return {
    ...d,
    destinationBankCode: typedNumber(d.destinationBankCode),
    destinationBranchCode: typedNumber(d.destinationBranchCode),
    destinationAccountNumber: typedNumber(d.destinationAccountNumber),
    amount: typedNumber(d.amount),
  };
}

/** What is wrong with the draft before anything is sent (the server checks it all again). */
function problems(typed: Draft): string[] {
  const d = normalized(typed);
  const list: string[] = [];
  if (!/^\d+$/.test(d.fromAccountId)) list.push('支払口座を選んでください。');
  if (!/^\d{4}$/.test(d.destinationBankCode)) list.push('金融機関コードは4桁の数字です。');
  if (!/^\d{3}$/.test(d.destinationBranchCode)) list.push('支店番号は3桁の数字です。');
  if (!/^\d{7}$/.test(d.destinationAccountNumber)) list.push('口座番号は7桁の数字です。');
  if (!d.payeeName.trim()) list.push('受取人名（カナ）を入力してください。');
  if (!/^[1-9]\d*$/.test(d.amount)) list.push('振込金額は1円以上の整数で入力してください。');
  return list;
}

/** 振込の作成: input, a confirmation page with the confirmation password, then the result. */
export function TransferNewPage({ me }: { me: Me }) {
  const [accounts, setAccounts] = useState<AccountChoicesQuery['accounts'] | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [step, setStep] = useState<'input' | 'confirm'>('input');
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [created, setCreated] = useState<CreateTransferMutation['createTransfer'] | null>(null);
  const action = useAction();
  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  useEffect(() => {
    // Without 照会 rights the accounts cannot be listed; the account is then typed in.
    if (!can(me, 'ACCOUNT_INQUIRY')) return;
    gql(AccountChoicesDocument, {}).then((r) => {
      setAccounts(r.accounts);
      if (r.accounts[0]) setDraft((d) => ({ ...d, fromAccountId: d.fromAccountId || String(r.accounts[0].id) }));
    });
  }, [me]);

  const amount = Number(typedNumber(draft.amount));
  const accountName = (id: string) => chosenAccountText(accounts, id);
  const issues = problems(draft);

  const execute = async (e: Event) => {
    e.preventDefault();
    const result = await action.run(() =>
      gql(CreateTransferDocument, {
        input: {
          fromAccountId: Number(draft.fromAccountId),
          destinationBankCode: draft.destinationBankCode,
          destinationBranchCode: draft.destinationBranchCode,
          destinationAccountType: draft.destinationAccountType,
          destinationAccountNumber: draft.destinationAccountNumber,
          payeeName: draft.payeeName,
          amount,
        },
        confirmationPassword,
      }),
    );
    setConfirmationPassword('');
    if (result) setCreated(result.createTransfer);
  };

  if (created) {
    return (
      <section>
        <h1>振込の作成</h1>
        <Notice kind="success">
          <p>
            振込を受け付けました（受付番号 {created.id}）。状態:{' '}
            <strong data-testid="transfer-status">{label(TRANSFER_STATUS, created.status)}</strong>
          </p>
          {created.status === 'PENDING_APPROVAL' && <p>承認者の承認を受けると実行されます。</p>}
        </Notice>
        <TransferSummary draft={draft} amount={created.amount} payeeName={created.payeeName} account={accountName(draft.fromAccountId)} />
        <p>
          <a href={`#/transfers/single/${created.id}`}>受付票・状況を見る</a>{' '}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setCreated(null);
              setDraft({ ...EMPTY, fromAccountId: draft.fromAccountId });
              setStep('input');
            }}
          >
            続けて振込を作成する
          </button>
        </p>
      </section>
    );
  }

  if (step === 'confirm') {
    return (
      <section>
        <h1>振込内容の確認</h1>
        <p>内容をご確認のうえ、確認用パスワードを入力して「実行」を押してください。</p>
        <TransferSummary draft={draft} amount={amount} payeeName={draft.payeeName} account={accountName(draft.fromAccountId)} />
        <form onSubmit={execute} class="card">
          <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
          <ErrorBox error={action.error} />
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setStep('input')} disabled={action.busy}>
              修正する
            </button>
            <button type="submit" disabled={action.busy || !confirmationPassword}>
              実行
            </button>
          </div>
        </form>
      </section>
    );
  }

  if (accounts && accounts.length === 0) {
    return (
      <section>
        <h1>振込の作成</h1>
        <NoAccounts />
      </section>
    );
  }

  return (
    <section>
      <h1>振込の作成</h1>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (issues.length === 0) {
            setDraft(normalized(draft));
            setStep('confirm');
          }
        }}
      >
        {accounts ? (
          <Select
            key="account-choice"
            label="支払口座"
            value={draft.fromAccountId}
            onValue={set('fromAccountId')}
            options={accounts.map((a) => [String(a.id), accountText(a)])}
          />
        ) : (
          <Field
            key="account-id"
            label="支払口座（口座ID）"
            inputMode="numeric"
            value={draft.fromAccountId}
            onValue={set('fromAccountId')}
          />
        )}
        <Field
          label="金融機関コード"
          inputMode="numeric"
          maxLength={12}
          value={draft.destinationBankCode}
          onValue={set('destinationBankCode')}
          hint="4桁（全角でも入力できます）"
        />
        <Field
          label="支店番号"
          inputMode="numeric"
          maxLength={12}
          value={draft.destinationBranchCode}
          onValue={set('destinationBranchCode')}
          hint="3桁"
        />
        <Select
          label="科目"
          value={draft.destinationAccountType}
          onValue={(v) => setDraft((d) => ({ ...d, destinationAccountType: v as AccountType }))}
          options={Object.entries(ACCOUNT_TYPE)}
        />
        <Field
          label="口座番号"
          inputMode="numeric"
          maxLength={16}
          value={draft.destinationAccountNumber}
          onValue={set('destinationAccountNumber')}
          hint="7桁（全角・ハイフン入りでも入力できます）"
        />
        <Field label="受取人名（カナ）" value={draft.payeeName} onValue={set('payeeName')} hint="例: ｶ)ﾃﾞﾓ ｼｮｳｼﾞ（半角カナも使えます）" />
        <Field
          label="振込金額（円）"
          inputMode="numeric"
          value={draft.amount}
          onValue={set('amount')}
          hint={amount > 0 ? yen(amount) : ''}
        />
        {draft.amount && issues.length > 0 && (
          <ul class="field-error">
            {issues.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <button type="submit" disabled={issues.length > 0}>
          確認画面へ
        </button>
      </form>
    </section>
  );
}

function TransferSummary({ draft, amount, payeeName, account }: { draft: Draft; amount: number; payeeName: string; account: string }) {
  return (
    <dl class="card summary">
      <dt>支払口座</dt>
      <dd>{account}</dd>
      <dt>振込先</dt>
      <dd>
        金融機関 {draft.destinationBankCode} ・支店 {draft.destinationBranchCode} ・{label(ACCOUNT_TYPE, draft.destinationAccountType)}{' '}
        {draft.destinationAccountNumber}
      </dd>
      <dt>受取人名</dt>
      <dd>{payeeName}</dd>
      <dt>振込金額</dt>
      <dd class="amount">{yen(amount)}</dd>
    </dl>
  );
}
