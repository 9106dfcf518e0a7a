import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../../../common/format';
import { PARTNER_SCOPE, PARTNER_STATUS, label } from '../../../common/labels';
import type { ErrorFacts } from '../../../common/messages';
import { ErrorBox, Field, Notice, PasswordField, toFacts, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import {
  PartnersDocument,
  RegisterPartnerDocument,
  ResumePartnerDocument,
  SuspendPartnerDocument,
  type PartnerFieldsFragment,
  type PartnerScope,
} from '../../../graphql/api.generated';

const SCOPES = Object.keys(PARTNER_SCOPE) as PartnerScope[];

/**
 * 当金庫 › 連携先: the partners (電子決済等代行業者, ERP vendors) the bank has registered as OAuth
 * clients, and their registration — how each proves itself (the subject of its certificate from
 * the bank CA, or its public keys), where customers return to, and what it may ask them for. A
 * suspended partner is refused from its next request on; customers' consents stay, to work again on resumption.
 */
export function PartnersPage() {
  const [partners, setPartners] = useState<PartnerFieldsFragment[] | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  // A new form after each change: a registered partner's fields are not left for the next.
  const [formKey, setFormKey] = useState(0);
  const load = () =>
    gql(PartnersDocument, {})
      .then((r) => setPartners(r.partners))
      .catch((e) => setError(toFacts(e)));
  useEffect(() => {
    load();
  }, []);
  const finished = (message: string) => {
    setSelected(null);
    setFormKey((key) => key + 1);
    // The list first: the message must not stand beside rows that still show the state before.
    void load().then(() => setDone(message));
  };
  const partner = partners?.find((p) => p.id === selected) ?? null;
  return (
    <section>
      <h1>連携先</h1>
      <p class="hint">
        お客さまの同意にもとづき口座の照会や振込の作成を行う連携先サービスです。連携先はお客さまのパスワードを持たず、当金庫が発行した証明書（または登録した公開鍵）で接続します。
      </p>
      <ErrorBox error={error} />
      {done && <Notice kind="success">{done}</Notice>}
      {partners && partners.length === 0 && <p data-testid="partners-empty">登録された連携先はありません。</p>}
      {partners && partners.length > 0 && (
        <table class="card" data-testid="partners">
          <thead>
            <tr>
              <th class="nowrap">連携先名</th>
              <th>クライアントID</th>
              <th>認証方式</th>
              <th>許可できる操作</th>
              <th>戻り先</th>
              <th class="nowrap">状態</th>
              <th>登録日時</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {partners.map((p) => (
              <tr key={p.id} data-testid={`partner-${p.id}`}>
                <td class="nowrap">{p.name}</td>
                <td>
                  <code>{p.clientId}</code>
                </td>
                <td>{p.certificateSubjectDn ? `証明書（${p.certificateSubjectDn}）` : p.hasJwks ? '公開鍵' : '—'}</td>
                <td>{p.scopes.map((scope) => label(PARTNER_SCOPE, scope)).join('、')}</td>
                <td>
                  {p.redirectUris.map((uri) => (
                    <div key={uri}>
                      <code>{uri}</code>
                    </div>
                  ))}
                </td>
                <td class="nowrap">{label(PARTNER_STATUS, p.status)}</td>
                <td>{dateTime(p.createdAt)}</td>
                <td class="nowrap">
                  <button type="button" class="secondary" onClick={() => setSelected(p.id)}>
                    {p.status === 'ACTIVE' ? '停止' : '再開'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {partner && <StatusChange key={partner.id} partner={partner} onDone={finished} />}
      <RegisterPartnerForm key={formKey} onDone={finished} />
    </section>
  );
}

function StatusChange({ partner, onDone }: { partner: PartnerFieldsFragment; onDone: (message: string) => void }) {
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const action = useAction();
  const suspending = partner.status === 'ACTIVE';
  const submit = async (e: Event) => {
    e.preventDefault();
    const variables = { partnerId: partner.id, confirmationPassword };
    const changed = await action.run(async () =>
      suspending
        ? (await gql(SuspendPartnerDocument, variables)).suspendPartner
        : (await gql(ResumePartnerDocument, variables)).resumePartner,
    );
    setConfirmationPassword('');
    if (changed) onDone(`連携先「${changed.name}」を${suspending ? '停止' : '再開'}しました。`);
  };
  return (
    <form class="card" onSubmit={submit} aria-label={`連携先「${partner.name}」の${suspending ? '停止' : '再開'}`}>
      <h2>
        連携先「{partner.name}」の{suspending ? '停止' : '再開'}
      </h2>
      <p class="hint">
        {suspending
          ? '停止すると、この連携先からの要求は次の要求から拒否されます。お客さまの同意は残り、再開すると再び使えます。'
          : '再開すると、お客さまの同意が有効な範囲で再び接続できます。'}
      </p>
      <PasswordField label="確認用パスワード（オペレーター）" value={confirmationPassword} onValue={setConfirmationPassword} required />
      <ErrorBox error={action.error} />
      <button type="submit" class={suspending ? 'danger' : undefined} disabled={action.busy || !confirmationPassword}>
        {suspending ? '停止する' : '再開する'}
      </button>
    </form>
  );
}

function RegisterPartnerForm({ onDone }: { onDone: (message: string) => void }) {
  const [name, setName] = useState('');
  const [redirectUris, setRedirectUris] = useState('');
  const [method, setMethod] = useState<'certificate' | 'jwks'>('certificate');
  const [certificateSubjectDn, setCertificateSubjectDn] = useState('');
  const [jwks, setJwks] = useState('');
  const [scopes, setScopes] = useState<PartnerScope[]>([]);
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const input = {
      name,
      redirectUris: redirectUris
        .split('\n')
        .map((uri) => uri.trim())
        .filter(Boolean),
      certificateSubjectDn: method === 'certificate' ? certificateSubjectDn : null,
      jwks: method === 'jwks' ? jwks : null,
      scopes,
    };
    const registered = await action.run(async () => (await gql(RegisterPartnerDocument, { input, confirmationPassword })).registerPartner);
    setConfirmationPassword('');
    if (registered) onDone(`連携先「${registered.name}」を登録しました。クライアントID: ${registered.clientId}`);
  };
  return (
    <form class="card" onSubmit={submit} aria-label="連携先の登録">
      <h2>連携先の登録</h2>
      <Field label="連携先名（お客さまの同意画面に表示されます）" value={name} onValue={setName} maxLength={100} required />
      <label class="field">
        <span class="label">戻り先（1行に1つ、https:// で始まるもの。最大5つ）</span>
        <textarea rows={3} value={redirectUris} onInput={(e) => setRedirectUris((e.target as HTMLTextAreaElement).value)} required />
      </label>
      <fieldset>
        <legend>連携先の認証方式</legend>
        <label class="check">
          <input type="radio" name="method" checked={method === 'certificate'} onChange={() => setMethod('certificate')} />{' '}
          当金庫が発行した証明書
        </label>
        <label class="check">
          <input type="radio" name="method" checked={method === 'jwks'} onChange={() => setMethod('jwks')} /> 公開鍵（鍵セット）
        </label>
      </fieldset>
      {method === 'certificate' ? (
        <Field
          label="証明書のサブジェクト"
          value={certificateSubjectDn}
          onValue={setCertificateSubjectDn}
          maxLength={500}
          hint="当金庫が連携先に発行した証明書のサブジェクトを、表示どおりに入力します。"
          required
        />
      ) : (
        <label class="field">
          <span class="label">公開鍵（鍵セットを貼り付け）</span>
          <textarea rows={5} value={jwks} onInput={(e) => setJwks((e.target as HTMLTextAreaElement).value)} required />
        </label>
      )}
      <fieldset>
        <legend>お客さまに求めてよい操作</legend>
        {SCOPES.map((scope) => (
          <label key={scope} class="check">
            <input
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(e) =>
                setScopes((all) => ((e.target as HTMLInputElement).checked ? [...all, scope] : all.filter((s) => s !== scope)))
              }
            />{' '}
            {label(PARTNER_SCOPE, scope)}
          </label>
        ))}
      </fieldset>
      <PasswordField label="確認用パスワード（オペレーター）" value={confirmationPassword} onValue={setConfirmationPassword} required />
      <ErrorBox error={action.error} />
      <button type="submit" disabled={action.busy || !confirmationPassword || scopes.length === 0}>
        登録する
      </button>
    </form>
  );
}
