import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Notice, PasswordField, toFacts, useAction } from '../../../common/ui';
import type { ErrorFacts } from '../../../common/messages';
import { gql } from '../../../graphql/client';
import {
  AuditEventsDocument,
  BeginSetIpAllowListDocument,
  MyContractDocument,
  SetIpAllowListDocument,
} from '../../../graphql/api.generated';
import { ChangeConfirmation, useHasPasskey } from '../../ChangeConfirmation';
import { withChangePasskey } from '../../passkeys';
import type { Me } from '../../session';

/** 接続元IPアドレス制限 (R15): one address or CIDR range a line; empty allows every address. */
export function IpAllowListPage({ me }: { me: Me }) {
  const address = useCurrentAddress(me.loginId);
  // null until the current list has arrived: the form is shown only then, so the answer cannot
  // overwrite what the administrator has started typing.
  const [text, setText] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<ErrorFacts | null>(null);
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const hasPasskey = useHasPasskey();
  useEffect(() => {
    gql(MyContractDocument, {})
      .then((r) => setText(r.myContract.ipAllowList.join('\n')))
      .catch((e) => setLoadError(toFacts(e)));
  }, []);
  const entries = (text ?? '')
    .split(/[\n,]/)
    .map((e) => e.trim())
    .filter(Boolean);
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const result = await action.run(() =>
      withChangePasskey(
        hasPasskey,
        async () => (await gql(BeginSetIpAllowListDocument, { entries })).beginSetIpAllowList,
        (passkeyAssertion) => gql(SetIpAllowListDocument, { entries, confirmationPassword, passkeyAssertion }),
      ),
    );
    setConfirmationPassword('');
    if (result) {
      setText(result.setIpAllowList.ipAllowList.join('\n'));
      setSaved(true);
    }
  };
  return (
    <section>
      <h1>接続元IPアドレス制限</h1>
      <ErrorBox error={loadError} />
      {text === null && !loadError && <p>読み込み中…</p>}
      {text !== null && (
        <form class="card" onSubmit={submit}>
          <p>
            この契約の利用者が接続できるIPアドレス（またはCIDR形式の範囲）を1行に1つ入力します。空欄にすると、どこからでも接続できます。管理者自身の接続元を除外することはできません。
          </p>
          <p data-testid="current-address">
            現在の接続元: <strong>{address === undefined ? '確認中…' : (address ?? '確認できませんでした')}</strong>
            （今回ログインした時のアドレス）
          </p>
          <label class="field">
            <span class="label">許可するIPアドレス</span>
            <textarea
              rows={6}
              value={text}
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
              placeholder="203.0.113.0/24"
            />
          </label>
          {hasPasskey && <ChangeConfirmation facts={[['許可するIPアドレス', entries.length ? entries.join('、') : '制限なし']]} />}
          <PasswordField label="確認用パスワード（管理者）" value={confirmationPassword} onValue={setConfirmationPassword} required />
          {saved && (
            <Notice kind="success">接続元IPアドレス制限を保存しました（{entries.length ? `${entries.length}件` : '制限なし'}）。</Notice>
          )}
          <ErrorBox error={action.error} />
          <button type="submit" disabled={action.busy || !confirmationPassword}>
            保存する
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * The address this session logged in from. The API has no field for the caller's address; the
 * audit log records it with every login, and an administrator reads their contract's log.
 */
function useCurrentAddress(loginId: string): string | null | undefined {
  const [address, setAddress] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    gql(AuditEventsDocument, { action: 'LOGIN', first: 50 })
      .then(({ auditEvents }) => setAddress(auditEvents.items.find((e) => e.actorLoginId === loginId)?.sourceAddress ?? null))
      .catch(() => setAddress(null));
  }, [loginId]);
  return address;
}
