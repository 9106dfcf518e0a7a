import { useEffect, useState } from 'preact/hooks';
import { businessDate, typedNumber, yen } from '../../common/format';
import { DestinationFields, useDirectoryNames, type FieldErrors } from '../../common/destination';
import { TRANSFER_STATUS, accountText, chosenAccountText, label } from '../../common/labels';
import { describeError, refusedField } from '../../common/messages';
import { ErrorBox, Field, NoAccounts, Notice, PasswordField, Select, useAction } from '../../common/ui';
import { gql } from '../../graphql/client';
import {
  AccountChoicesDocument,
  CreateTransferDocument,
  PayeesDocument,
  type AccountChoicesQuery,
  type CreateTransferMutation,
} from '../../graphql/api.generated';
import { can, type Me } from '../session';
import { PayeePicker } from './transfer/PayeePicker';
import { SavePayee } from './transfer/SavePayee';
import { TransferSummary } from './transfer/TransferSummary';
import { TRANSFER_FIELDS, confirmedDestination, draftProblems, emptyDraft, transferInput, type Draft } from './transfer/draft';

/**
 * 振込の作成: the 振込先 from 振込先登録 or typed by hand (金融機関検索), 振込指定日 and amount; a
 * confirmation page with everything as it will be sent, then the confirmation password.
 */
export function TransferNewPage({ me }: { me: Me }) {
  const [accounts, setAccounts] = useState<AccountChoicesQuery['accounts'] | null>(null);
  const [hasPayees, setHasPayees] = useState(false);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [step, setStep] = useState<'input' | 'confirm'>('input');
  const [tried, setTried] = useState(false);
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [created, setCreated] = useState<CreateTransferMutation['createTransfer'] | null>(null);
  const action = useAction();
  const names = useDirectoryNames(draft.destination.bankCode, draft.destination.branchCode);

  useEffect(() => {
    // Without 照会 rights the accounts cannot be listed; the account is then typed in.
    if (can(me, 'ACCOUNT_INQUIRY')) {
      gql(AccountChoicesDocument, {}).then((r) => {
        setAccounts(r.accounts);
        if (r.accounts[0]) setDraft((d) => ({ ...d, fromAccountId: d.fromAccountId || String(r.accounts[0].id) }));
      });
    }
    // With payees registered, choosing one comes first (as at a bank's 振込 page); typing stays one click away.
    gql(PayeesDocument, { search: null, after: null, first: 1 }).then(({ payees }) => {
      if (payees.items.length === 0) return;
      setHasPayees(true);
      setDraft((d) => (d.destination.bankCode || d.destination.payeeName ? d : { ...d, mode: 'payee' }));
    });
  }, [me]);

  // A refusal naming a field is said next to it when the person goes back to correct it.
  const refused = refusedField(action.error);
  const serverErrors: FieldErrors = refused && TRANSFER_FIELDS[refused] ? { [TRANSFER_FIELDS[refused]]: describeError(action.error!) } : {};
  const errors = { ...draftProblems(draft, names), ...serverErrors };
  const amount = Number(typedNumber(draft.amount));
  const account = chosenAccountText(accounts, draft.fromAccountId);
  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (action.error) action.setError(null);
  };

  const execute = async (e: Event) => {
    e.preventDefault();
    const result = await action.run(() => gql(CreateTransferDocument, { input: transferInput(draft), confirmationPassword }));
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
        <TransferSummary
          facts={{
            account,
            nickname: draft.mode === 'payee' ? draft.payee?.nickname : null,
            bankCode: created.destinationBankCode,
            bankName: created.destinationBankName,
            branchCode: created.destinationBranchCode,
            branchName: created.destinationBranchName,
            accountType: created.destinationAccountType,
            accountNumber: created.destinationAccountNumber,
            payeeName: created.payeeName,
            transferDate: created.requestedDate ?? created.executionDate,
            amount: created.amount,
          }}
        />
        {draft.mode === 'manual' && can(me, 'PAYEE_MANAGEMENT') && (
          <SavePayee
            destination={{
              bankCode: created.destinationBankCode,
              branchCode: created.destinationBranchCode,
              accountType: created.destinationAccountType,
              accountNumber: created.destinationAccountNumber,
              payeeName: created.payeeName,
            }}
          />
        )}
        <p>
          <a href={`#/transfers/single/${created.id}`}>受付票・状況を見る</a>{' '}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setCreated(null);
              setDraft({ ...emptyDraft(draft.fromAccountId), mode: hasPayees ? 'payee' : 'manual' });
              setTried(false);
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
    const dest = confirmedDestination(draft);
    const firstPossible = action.error?.code === 'INVALID_EXECUTION_DATE' ? action.error.extensions.firstPossibleDate : null;
    return (
      <section>
        <h1>振込内容の確認</h1>
        <p>内容をご確認のうえ、確認用パスワードを入力して「実行」を押してください。</p>
        <TransferSummary
          facts={{
            ...dest,
            account,
            bankName: draft.mode === 'payee' ? draft.payee?.bankName : names.bank.state === 'found' ? names.bank.entry.name : null,
            branchName: draft.mode === 'payee' ? draft.payee?.branchName : names.branch.state === 'found' ? names.branch.entry.name : null,
            transferDate: draft.transferDate,
            amount,
          }}
        />
        <form onSubmit={execute} class="card">
          <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
          <ErrorBox error={action.error} />
          {typeof firstPossible === 'string' && (
            <button type="button" class="secondary" onClick={() => change({ transferDate: firstPossible })}>
              振込指定日を{businessDate(firstPossible)}に変更する
            </button>
          )}
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
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (Object.keys(errors).length === 0) setStep('confirm');
        }}
      >
        {accounts ? (
          <Select
            key="account-choice"
            label="支払口座"
            value={draft.fromAccountId}
            onValue={(fromAccountId) => change({ fromAccountId })}
            options={accounts.map((a) => [String(a.id), accountText(a)])}
          />
        ) : (
          <Field
            key="account-id"
            label="支払口座（口座ID）"
            inputMode="numeric"
            value={draft.fromAccountId}
            onValue={(fromAccountId) => change({ fromAccountId })}
            error={tried ? errors.fromAccountId : undefined}
          />
        )}
        {hasPayees && (
          <fieldset class="choices">
            <legend>振込先の指定方法</legend>
            <label class="check">
              <input type="radio" name="mode" checked={draft.mode === 'payee'} onChange={() => change({ mode: 'payee' })} />
              登録済みの振込先から選ぶ
            </label>
            <label class="check">
              <input type="radio" name="mode" checked={draft.mode === 'manual'} onChange={() => change({ mode: 'manual' })} />
              振込先を直接入力する
            </label>
          </fieldset>
        )}
        {draft.mode === 'payee' ? (
          <PayeePicker chosen={draft.payee} onChoose={(payee) => change({ payee })} error={tried ? errors.payeeId : undefined} />
        ) : (
          <DestinationFields
            value={draft.destination}
            onChange={(destination) => change({ destination })}
            names={names}
            errors={errors}
            showErrors={tried}
          />
        )}
        <Field
          label="振込指定日"
          type="date"
          value={draft.transferDate}
          onValue={(transferDate) => change({ transferDate })}
          hint="本日または先の営業日（休業日・受付時間後の本日は指定できません）"
          error={tried ? errors.transferDate : undefined}
        />
        <Field
          label="振込金額（円）"
          inputMode="numeric"
          value={draft.amount}
          onValue={(amount) => change({ amount })}
          hint={amount > 0 ? yen(amount) : ''}
          error={tried ? errors.amount : undefined}
        />
        {tried && Object.keys(errors).length > 0 && (
          <p class="field-error" role="alert">
            入力内容に誤りがあります。各項目の表示をご確認ください。
          </p>
        )}
        <button type="submit">確認画面へ</button>
      </form>
    </section>
  );
}
