import { useEffect, useState } from 'preact/hooks';
import { dateTime, yen } from '../../../common/format';
import { CONTRACT_STATUS, label } from '../../../common/labels';
import { ErrorBox, Field, Notice, PasswordField, SecretSheet, Select, toFacts, useAction } from '../../../common/ui';
import type { ErrorFacts } from '../../../common/messages';
import { gql } from '../../../graphql/client';
import {
  AuditEventsDocument,
  ContractsDocument,
  EmergencyStopDocument,
  IssueAdministratorEnrollmentCodeDocument,
  ResetAdministratorPasswordsDocument,
  ResumeContractDocument,
  SetContractTransferSettingsDocument,
  TerminateContractDocument,
  type ContractFieldsFragment,
} from '../../../graphql/api.generated';

/**
 * Who stopped a contract and why: the contract carries only its status, so the latest
 * EMERGENCY_STOP of its audit log tells it (operators may read every contract's log).
 */
function StopFacts({ contractId }: { contractId: number }) {
  const [facts, setFacts] = useState<{ by: string; reason: string } | null>(null);
  useEffect(() => {
    gql(AuditEventsDocument, { action: 'EMERGENCY_STOP', contractId, first: 1 })
      .then(({ auditEvents }) => {
        const event = auditEvents.items[0];
        if (!event) return;
        const reason = (() => {
          try {
            return String((JSON.parse(event.detail ?? '{}') as { reason?: unknown }).reason ?? '—');
          } catch {
            return '—';
          }
        })();
        setFacts({ by: event.actorLoginId ?? '—', reason });
      })
      .catch(() => setFacts(null));
  }, [contractId]);
  if (!facts) return null;
  return (
    <div class="hint" data-testid="stop-facts">
      停止した人: {facts.by}／理由: {facts.reason}
    </div>
  );
}

type Shown = { title: string; rows: Array<[string, string]>; note: string } | null;

/** 当金庫 › 契約一覧: every contract, and what the bank does for one after the in-branch check. */
export function ContractsPage() {
  const [contracts, setContracts] = useState<ContractFieldsFragment[] | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const load = () =>
    gql(ContractsDocument, {})
      .then((r) => setContracts(r.contracts))
      .catch((e) => setError(toFacts(e)));
  useEffect(() => {
    load();
  }, []);
  const contract = contracts?.find((c) => c.id === selected) ?? null;
  return (
    <section>
      <h1>契約一覧</h1>
      <p>
        <a class="button" href="#/operator/contracts/new">
          契約を登録する
        </a>
      </p>
      <ErrorBox error={error} />
      {contracts && (
        <table class="card">
          <thead>
            <tr>
              <th>契約番号</th>
              <th>契約者名</th>
              <th>状態</th>
              <th class="num">1日の限度額</th>
              <th>承認</th>
              <th>登録日</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {contracts.map((c) => (
              <tr key={c.id} data-testid={`contract-${c.code}`} aria-selected={c.id === selected}>
                <td>{c.code}</td>
                <td>{c.name}</td>
                <td>
                  {label(CONTRACT_STATUS, c.status)}
                  {c.statusChangedAt && <div class="hint">{dateTime(c.statusChangedAt)}</div>}
                  {c.status === 'STOPPED' && <StopFacts contractId={c.id} />}
                </td>
                <td class="num">{yen(c.dailyTransferLimit)}</td>
                <td>{c.requiresApproval ? '必要' : '不要'}</td>
                <td>{dateTime(c.createdAt)}</td>
                <td>
                  <button type="button" class="secondary" onClick={() => setSelected(c.id)}>
                    操作
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {contract && <ContractActions key={contract.id} contract={contract} onChanged={load} />}
    </section>
  );
}

function ContractActions({ contract, onChanged }: { contract: ContractFieldsFragment; onChanged: () => void }) {
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [note, setNote] = useState('');
  const [adminLoginId, setAdminLoginId] = useState('');
  const [reason, setReason] = useState('');
  const [dailyLimit, setDailyLimit] = useState(String(contract.dailyTransferLimit));
  const [requiresApproval, setRequiresApproval] = useState(contract.requiresApproval ? 'yes' : 'no');
  const [terminating, setTerminating] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown>(null);
  const action = useAction();

  const act = async (message: string, call: () => Promise<unknown>) => {
    setDone(null);
    setShown(null);
    const ok = await action.run(async () => {
      await call();
      return true;
    });
    setConfirmationPassword('');
    if (ok) {
      setDone(message);
      onChanged();
    }
  };
  const noteProblem = !note.trim();
  const pwMissing = !confirmationPassword;

  return (
    <div class="card" aria-label={`${contract.name}の操作`}>
      <h2>
        {contract.name}（{contract.code}）の操作
      </h2>
      <p class="hint">店頭での本人確認の内容（誰が・どこで・何で確認したか）を記録として入力してください。</p>
      <Field label="本人確認の記録" value={note} onValue={setNote} maxLength={500} />
      <PasswordField label="確認用パスワード（オペレーター）" value={confirmationPassword} onValue={setConfirmationPassword} />
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorBox error={action.error} />
      {shown && <SecretSheet {...shown} />}

      <h3>管理者</h3>
      <Field label="管理者のログインID" value={adminLoginId} onValue={setAdminLoginId} />
      <div class="actions">
        <button
          type="button"
          disabled={action.busy || noteProblem || pwMissing || !adminLoginId}
          onClick={() =>
            act('管理者のパスワードを再設定しました（ロックも解除されました）。', async () => {
              const { resetAdministratorPasswords: p } = await gql(ResetAdministratorPasswordsDocument, {
                loginId: adminLoginId.trim(),
                note,
                confirmationPassword,
              });
              setShown({
                title: `${adminLoginId} 様 仮パスワード`,
                rows: [
                  ['仮ログインパスワード', p.loginPassword],
                  ['仮確認用パスワード', p.confirmationPassword],
                ],
                note: 'この画面は一度だけ表示されます。印刷してご本人にお渡しください。',
              });
            })
          }
        >
          管理者のパスワードを再設定（ロック解除）
        </button>
        <button
          type="button"
          disabled={action.busy || noteProblem || pwMissing || !adminLoginId}
          onClick={() =>
            act('管理者の証明書取得コードを発行しました。', async () => {
              const { issueAdministratorEnrollmentCode: c } = await gql(IssueAdministratorEnrollmentCodeDocument, {
                loginId: adminLoginId.trim(),
                note,
                confirmationPassword,
              });
              setShown({
                title: `${c.loginId} 様 証明書取得コード`,
                rows: [
                  ['ログインID', c.loginId],
                  ['証明書取得コード', c.code],
                  ['有効期限', dateTime(c.expiresAt)],
                ],
                note: 'この画面は一度だけ表示されます。印刷してご本人にお渡しください。',
              });
            })
          }
        >
          管理者の証明書取得コードを発行
        </button>
      </div>

      <h3>振込の設定</h3>
      <Field
        label="契約の1日の利用限度額（円）"
        inputMode="numeric"
        value={dailyLimit}
        onValue={setDailyLimit}
        hint={yen(Number(dailyLimit) || 0)}
      />
      <Select
        label="振込の承認"
        value={requiresApproval}
        onValue={setRequiresApproval}
        options={[
          ['yes', '必要（作成者と別の利用者が承認）'],
          ['no', '不要'],
        ]}
      />
      <button
        type="button"
        disabled={action.busy || noteProblem || pwMissing}
        onClick={() =>
          act('振込の設定を変更しました。', () =>
            gql(SetContractTransferSettingsDocument, {
              contractId: contract.id,
              settings: { dailyTransferLimit: Number(dailyLimit || 0), requiresApproval: requiresApproval === 'yes' },
              note,
              confirmationPassword,
            }),
          )
        }
      >
        振込の設定を保存
      </button>

      <h3>停止・再開・解約</h3>
      {contract.status === 'ACTIVE' && (
        <>
          <Field label="緊急停止の理由" value={reason} onValue={setReason} maxLength={200} />
          <button
            type="button"
            class="danger"
            disabled={action.busy || !reason.trim()}
            onClick={() => act('緊急停止しました。', () => gql(EmergencyStopDocument, { contractId: contract.id, reason: reason.trim() }))}
          >
            緊急停止
          </button>
        </>
      )}
      {contract.status === 'STOPPED' && (
        <button
          type="button"
          disabled={action.busy || noteProblem || pwMissing}
          onClick={() =>
            act('利用を再開しました。', () => gql(ResumeContractDocument, { contractId: contract.id, note, confirmationPassword }))
          }
        >
          利用を再開する
        </button>
      )}
      {contract.status !== 'TERMINATED' &&
        (!terminating ? (
          <button type="button" class="danger" disabled={action.busy || noteProblem || pwMissing} onClick={() => setTerminating(true)}>
            解約…
          </button>
        ) : (
          <div class="confirm" role="alertdialog" aria-label="解約の確認">
            <p>解約すると、すべての電子証明書が失効し、すべてのセッションが終了します。元に戻せません（再契約は新しい契約になります）。</p>
            <button type="button" class="secondary" onClick={() => setTerminating(false)}>
              やめる
            </button>
            <button
              type="button"
              class="danger"
              disabled={action.busy}
              onClick={() =>
                act('解約しました。', async () => {
                  setTerminating(false);
                  await gql(TerminateContractDocument, { contractId: contract.id, note, confirmationPassword });
                })
              }
            >
              解約を実行する
            </button>
          </div>
        ))}
    </div>
  );
}
