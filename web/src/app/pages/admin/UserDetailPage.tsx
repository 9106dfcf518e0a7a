import { useEffect, useState } from 'preact/hooks';
import { date, dateTime, yen } from '../../../common/format';
import { enrollmentUrl } from '../../../common/site-links';
import { ACCOUNT_TYPE, PERMISSION, PERMISSIONS, ROLE, USER_STATUS, label } from '../../../common/labels';
import { ErrorBox, Field, Notice, PasswordField, SecretSheet, toFacts, useAction } from '../../../common/ui';
import type { ErrorFacts } from '../../../common/messages';
import { gql } from '../../../graphql/client';
import { UserEmailAddress } from './UserEmailAddress';
import { UserPasskeys } from './UserPasskeys';
import {
  AccountChoicesDocument,
  IssueEnrollmentCodeDocument,
  ResetUserPasswordsDocument,
  ResumeUserDocument,
  RevokeCertificateDocument,
  SetUserAccountsDocument,
  BeginSetUserLimitsDocument,
  SetUserLimitsDocument,
  SetUserPermissionsDocument,
  SuspendUserDocument,
  UsersDocument,
  type AccountChoicesQuery,
  type Permission,
  type UserFieldsFragment,
} from '../../../graphql/api.generated';
import { ChangeConfirmation, useHasPasskey } from '../../ChangeConfirmation';
import { withChangePasskey } from '../../passkeys';

type Shown = { title: string; rows: Array<[string, string]>; note: string } | null;

/**
 * One user ID: unlock by a password reset, suspend or resume, rights, limits, 利用口座, a new
 * enrollment code, the notice e-mail address, revocation. Changes need the administrator's confirmation password; revocation
 * does not (a lost PC must be cut off at once).
 */
export function UserDetailPage({ userId }: { userId: number }) {
  const [user, setUser] = useState<UserFieldsFragment | null>(null);
  const [accounts, setAccounts] = useState<AccountChoicesQuery['accounts'] | null>(null);
  const [loadError, setLoadError] = useState<ErrorFacts | null>(null);
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown>(null);
  const hasPasskey = useHasPasskey();
  const action = useAction();

  useEffect(() => {
    gql(UsersDocument, {})
      .then((r) => setUser(r.users.find((u) => u.id === userId) ?? null))
      .catch((e) => setLoadError(toFacts(e)));
    // Listing the accounts needs 照会 rights; without them 利用口座 is shown by number only.
    gql(AccountChoicesDocument, {})
      .then((r) => setAccounts(r.accounts))
      .catch(() => setAccounts(null));
  }, [userId]);

  /** Runs a change that needs the confirmation password, then shows the user as it is now. */
  const change = async (message: string, call: (pw: string) => Promise<UserFieldsFragment | null>) => {
    setDone(null);
    setShown(null);
    const updated = await action.run(() => call(confirmationPassword));
    setConfirmationPassword('');
    if (updated) {
      setUser(updated);
      setDone(message);
    }
  };

  if (loadError) return <ErrorBox error={loadError} />;
  if (!user) return <p>読み込み中…</p>;
  const needsPassword = !confirmationPassword;

  return (
    <section>
      <h1>
        {user.displayName}（{user.loginId}）
      </h1>
      <p>
        <a href="#/admin/users">利用者一覧へ戻る</a>
      </p>
      <dl class="card summary">
        <dt>区分</dt>
        <dd>{label(ROLE, user.role)}</dd>
        <dt>状態</dt>
        <dd data-testid="user-state">
          {label(USER_STATUS, user.status)}
          {user.locked ? '・ロック中（パスワードを続けて誤りました）' : ''}
          {user.passwordTemporary ? '・仮パスワード' : ''}
        </dd>
        <dt>パスワード有効期限</dt>
        <dd>{date(user.passwordExpiresAt)}</dd>
        <dt>最終ログイン</dt>
        <dd>{dateTime(user.lastLoginAt)}</dd>
        <dt>電子証明書</dt>
        <dd>
          {user.activeCertificate
            ? `シリアル ${user.activeCertificate.serialNumber}（${date(user.activeCertificate.notAfter)}まで）`
            : '未取得'}
        </dd>
      </dl>

      <div class="card sticky">
        <PasswordField
          label="確認用パスワード（管理者）"
          value={confirmationPassword}
          onValue={setConfirmationPassword}
          hint="変更を実行するたびに入力します（証明書の失効には不要です）。"
        />
      </div>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorBox error={action.error} />
      {shown && <SecretSheet {...shown} />}

      <div class="card">
        <h2>パスワードの再設定（ロック解除）</h2>
        <p>仮パスワードを発行します。ロックも解除されます。ご本人は次のログインで両方のパスワードを変更します。</p>
        <button
          type="button"
          disabled={action.busy || needsPassword}
          onClick={() =>
            change('パスワードを再設定しました。', async (pw) => {
              const { resetUserPasswords } = await gql(ResetUserPasswordsDocument, { userId, confirmationPassword: pw });
              setShown({
                title: `${resetUserPasswords.user.displayName}（${resetUserPasswords.user.loginId}）様 仮パスワード`,
                rows: [
                  ['仮ログインパスワード', resetUserPasswords.temporaryPasswords.loginPassword],
                  ['仮確認用パスワード', resetUserPasswords.temporaryPasswords.confirmationPassword],
                ],
                note: 'この画面は一度だけ表示されます。ご本人に別の手段でお伝えください。',
              });
              return resetUserPasswords.user;
            })
          }
        >
          パスワードを再設定する
        </button>
      </div>

      <div class="card">
        <h2>利用停止・再開</h2>
        {user.status === 'ACTIVE' ? (
          <button
            type="button"
            class="danger"
            disabled={action.busy || needsPassword}
            onClick={() =>
              change(
                '利用を停止しました。',
                async (pw) => (await gql(SuspendUserDocument, { userId, confirmationPassword: pw })).suspendUser,
              )
            }
          >
            利用を停止する
          </button>
        ) : (
          <button
            type="button"
            disabled={action.busy || needsPassword}
            onClick={() =>
              change('利用を再開しました。', async (pw) => (await gql(ResumeUserDocument, { userId, confirmationPassword: pw })).resumeUser)
            }
          >
            利用を再開する
          </button>
        )}
      </div>

      <PermissionsForm
        user={user}
        busy={action.busy || needsPassword}
        onSave={(permissions) =>
          change(
            '業務権限を変更しました。',
            async (pw) => (await gql(SetUserPermissionsDocument, { userId, permissions, confirmationPassword: pw })).setUserPermissions,
          )
        }
      />

      <LimitsForm
        user={user}
        hasPasskey={hasPasskey}
        busy={action.busy || needsPassword}
        onSave={(limits) =>
          change('利用限度額を変更しました。', async (pw) => {
            // Only a raise is confirmed with the passkey (取引認証), as the server asks.
            const begin = async () => (await gql(BeginSetUserLimitsDocument, { userId, limits })).beginSetUserLimits;
            const save = (passkeyAssertion: string | null) =>
              gql(SetUserLimitsDocument, { userId, limits, confirmationPassword: pw, passkeyAssertion });
            return (await withChangePasskey(hasPasskey && raises(user, limits), begin, save)).setUserLimits;
          })
        }
      />

      <AccountsForm
        user={user}
        accounts={accounts}
        busy={action.busy || needsPassword}
        onSave={(accountIds) =>
          change(
            '利用口座を変更しました。',
            async (pw) => (await gql(SetUserAccountsDocument, { userId, accountIds, confirmationPassword: pw })).setUserAccounts,
          )
        }
      />

      <div class="card">
        <h2>証明書取得コードの発行</h2>
        <p>電子証明書を（再）取得するためのコードを発行します。パソコンを替えるときや、証明書を失効させた後に使います。</p>
        <button
          type="button"
          disabled={action.busy || needsPassword}
          onClick={() =>
            change('証明書取得コードを発行しました。', async (pw) => {
              const { issueEnrollmentCode } = await gql(IssueEnrollmentCodeDocument, { userId, confirmationPassword: pw });
              setShown({
                title: `${user.displayName}（${user.loginId}）様 証明書取得コード`,
                rows: [
                  ['ログインID', issueEnrollmentCode.loginId],
                  ['証明書取得コード', issueEnrollmentCode.code],
                  ['有効期限', dateTime(issueEnrollmentCode.expiresAt)],
                  ['電子証明書取得ページ', enrollmentUrl()],
                ],
                note: 'この画面は一度だけ表示されます。ご本人は電子証明書取得ページでこのコードとログインパスワードを入力します。',
              });
              return user;
            })
          }
        >
          証明書取得コードを発行する
        </button>
      </div>

      <UserEmailAddress user={user} confirmationPassword={confirmationPassword} onChanged={setUser} />

      <UserPasskeys userId={userId} confirmationPassword={confirmationPassword} />

      {user.activeCertificate && (
        <RevokeForm
          certificateId={user.activeCertificate.id}
          onRevoked={() => gql(UsersDocument, {}).then((r) => setUser(r.users.find((u) => u.id === userId) ?? null))}
        />
      )}
    </section>
  );
}

function PermissionsForm({ user, busy, onSave }: { user: UserFieldsFragment; busy: boolean; onSave: (p: Permission[]) => void }) {
  const [permissions, setPermissions] = useState<Permission[]>(user.permissions);
  return (
    <div class="card">
      <h2>業務権限</h2>
      {PERMISSIONS.map((p) => (
        <label key={p} class="check">
          <input
            type="checkbox"
            checked={permissions.includes(p)}
            onChange={(e) =>
              setPermissions((e.target as HTMLInputElement).checked ? [...permissions, p] : permissions.filter((x) => x !== p))
            }
          />
          {PERMISSION[p]}
        </label>
      ))}
      <button type="button" disabled={busy} onClick={() => onSave(permissions)}>
        業務権限を保存
      </button>
    </div>
  );
}

type Limits = { transferLimitPerTransaction: number; dailyTransferLimit: number };

/** Whether these limits raise either of the user's (a raise is 取引認証's; a lowering is not). */
function raises(user: UserFieldsFragment, limits: Limits): boolean {
  return limits.transferLimitPerTransaction > user.transferLimitPerTransaction || limits.dailyTransferLimit > user.dailyTransferLimit;
}

function LimitsForm({
  user,
  hasPasskey,
  busy,
  onSave,
}: {
  user: UserFieldsFragment;
  hasPasskey: boolean;
  busy: boolean;
  onSave: (limits: Limits) => void;
}) {
  const [perTransfer, setPerTransfer] = useState(String(user.transferLimitPerTransaction));
  const [perDay, setPerDay] = useState(String(user.dailyTransferLimit));
  const limits = { transferLimitPerTransaction: Number(perTransfer || 0), dailyTransferLimit: Number(perDay || 0) };
  return (
    <div class="card">
      <h2>利用限度額</h2>
      <p class="hint">引上げは登録から一定時間後に適用され、ご本人と管理者に通知されます。引下げはすぐに適用されます。</p>
      {user.pendingLimitRaise && (
        <Notice kind="info">
          引上げ予約: 1回あたり {yen(user.pendingLimitRaise.transferLimitPerTransaction)}／1日あたり{' '}
          {yen(user.pendingLimitRaise.dailyTransferLimit)}（{dateTime(user.pendingLimitRaise.effectiveAt)} 以降に適用）
        </Notice>
      )}
      <Field
        label="1回あたり（円）"
        inputMode="numeric"
        value={perTransfer}
        onValue={setPerTransfer}
        hint={yen(Number(perTransfer) || 0)}
      />
      <Field label="1日あたり（円）" inputMode="numeric" value={perDay} onValue={setPerDay} hint={yen(Number(perDay) || 0)} />
      {hasPasskey && raises(user, limits) && (
        <ChangeConfirmation
          facts={[
            ['利用者', `${user.displayName}（${user.loginId}）`],
            ['1回あたり', yen(limits.transferLimitPerTransaction)],
            ['1日あたり', yen(limits.dailyTransferLimit)],
          ]}
        />
      )}
      <button type="button" disabled={busy} onClick={() => onSave(limits)}>
        利用限度額を保存
      </button>
    </div>
  );
}

function AccountsForm({
  user,
  accounts,
  busy,
  onSave,
}: {
  user: UserFieldsFragment;
  accounts: AccountChoicesQuery['accounts'] | null;
  busy: boolean;
  onSave: (ids: number[]) => void;
}) {
  const [ids, setIds] = useState<number[]>(user.accountIds);
  const choices =
    accounts ??
    user.accountIds.map((id) => ({ id, branchName: '', accountType: 'ORDINARY' as const, accountNumber: `口座ID ${id}`, holderName: '' }));
  return (
    <div class="card">
      <h2>利用口座</h2>
      {choices.map((a) => (
        <label key={a.id} class="check">
          <input
            type="checkbox"
            checked={ids.includes(a.id)}
            onChange={(e) => setIds((e.target as HTMLInputElement).checked ? [...ids, a.id] : ids.filter((x) => x !== a.id))}
          />
          {a.branchName} {accounts ? label(ACCOUNT_TYPE, a.accountType) : ''} {a.accountNumber}
        </label>
      ))}
      <button type="button" disabled={busy} onClick={() => onSave(ids)}>
        利用口座を保存
      </button>
    </div>
  );
}

function RevokeForm({ certificateId, onRevoked }: { certificateId: number; onRevoked: () => void }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState(false);
  const action = useAction();
  const revoke = async () => {
    const result = await action.run(() => gql(RevokeCertificateDocument, { certificateId, reason }));
    setConfirming(false);
    if (result) {
      setDone(true);
      onRevoked();
    }
  };
  return (
    <div class="card">
      <h2>電子証明書の失効</h2>
      <p>パソコンの紛失・盗難などのとき、この証明書をただちに使えなくします。再び使うには証明書取得コードを発行して取得しなおします。</p>
      {done && <Notice kind="success">証明書を失効させました。</Notice>}
      <Field label="失効の理由" value={reason} onValue={setReason} maxLength={200} />
      <ErrorBox error={action.error} />
      {!confirming ? (
        <button type="button" class="danger" disabled={!reason.trim() || action.busy} onClick={() => setConfirming(true)}>
          失効させる…
        </button>
      ) : (
        <div class="confirm">
          <p>本当にこの証明書を失効させますか。元に戻せません。</p>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            やめる
          </button>
          <button type="button" class="danger" onClick={revoke} disabled={action.busy}>
            失効させる
          </button>
        </div>
      )}
    </div>
  );
}
