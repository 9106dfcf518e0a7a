import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../../common/format';
import { PARTNER_SCOPE, accountText, label } from '../../common/labels';
import type { ErrorFacts } from '../../common/messages';
import { ErrorBox, Notice, PasswordField, toFacts, useAction } from '../../common/ui';
import { gql } from '../../graphql/client';
import {
  PartnerGrantsDocument,
  RenewPartnerGrantDocument,
  RevokePartnerGrantDocument,
  type PartnerGrantFieldsFragment,
} from '../../graphql/api.generated';
import type { Me } from '../session';

type Grant = PartnerGrantFieldsFragment;

/** From this many days before its end a consent is flagged, as the password and certificate banners do (R11). */
const WARN_DAYS = 14;
const DAY_MS = 24 * 3600 * 1000;

/** Whole days left (rounded up: ends tomorrow morning = 1), or null once it has ended. */
function daysLeft(grant: Grant, now: number): number | null {
  if (grant.expired) return null;
  return Math.max(1, Math.ceil((new Date(grant.expiresAt).getTime() - now) / DAY_MS));
}

/**
 * 連携先管理: the consents given to partners (連携先) — the person's own; the administrator sees the
 * whole contract's. Each is revoked (解除) after a second look with the confirmation password;
 * only its giver renews (更新) it, since it is their word and their permissions.
 */
export function PartnerGrantsPage({ me }: { me: Me }) {
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // One open form at a time: which consent, and whether it is being revoked or renewed.
  const [open, setOpen] = useState<{ id: number; kind: 'revoke' | 'renew' } | null>(null);
  const load = () =>
    gql(PartnerGrantsDocument, {})
      .then((r) => setGrants(r.partnerGrants))
      .catch((e) => setError(toFacts(e)));
  useEffect(() => {
    load();
  }, []);
  const finished = (message: string) => {
    setOpen(null);
    // The list first: the message must not stand beside rows that still show the state before.
    void load().then(() => setDone(message));
  };
  const now = Date.now();

  return (
    <section>
      <h1>連携先管理</h1>
      <p>
        会計ソフトなどの連携先に、口座の照会や振込の作成を任せる同意（連携）の一覧です。使わなくなった連携は解除してください。解除すると、連携先は次の利用から何もできなくなります。
      </p>
      {me.role === 'ADMIN' && (
        <Notice>
          <p>
            管理者のため、この契約のすべての利用者の同意を表示しています。どの同意も解除できます。更新できるのは、あなたが同意したものだけです。
          </p>
        </Notice>
      )}
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorBox error={error} />
      {grants?.length === 0 && (
        <div class="card" data-testid="no-partner-grants">
          <p>連携している連携先はありません。</p>
          <p>
            連携とは、お使いの会計ソフトや資金管理サービスなど（連携先）が、あなたの同意にもとづいて、選んだ口座の残高・入出金明細を照会したり、振込を作成したりする仕組みです。連携先が作成した振込は、承認されるまで実行されません。
          </p>
          <p>
            連携は、連携先のサービスの画面から始めます。そこで当金庫との連携を選ぶと、この法人インターネットバンキングのログインと同意の画面が開きます。
          </p>
        </div>
      )}
      {grants?.map((grant) => (
        <GrantCard
          key={grant.id}
          grant={grant}
          now={now}
          open={open?.id === grant.id ? open.kind : null}
          onOpen={(kind) => {
            setDone(null);
            setOpen(kind && { id: grant.id, kind });
          }}
          onDone={finished}
        />
      ))}
    </section>
  );
}

function GrantCard({
  grant,
  now,
  open,
  onOpen,
  onDone,
}: {
  grant: Grant;
  now: number;
  open: 'revoke' | 'renew' | null;
  onOpen: (kind: 'revoke' | 'renew' | null) => void;
  onDone: (message: string) => void;
}) {
  const left = daysLeft(grant, now);
  const giver = grant.grantedByYou ? 'あなた' : grant.grantedBy;
  return (
    <article class="card" aria-label={`連携先「${grant.partnerName}」・${giver}の同意`} data-testid={`partner-grant-${grant.id}`}>
      <h2>
        {grant.partnerName}
        {grant.expired && <span class="tag danger">期限切れ</span>}
        {left !== null && left <= WARN_DAYS && <span class="tag danger">期限間近</span>}
      </h2>
      {grant.expired && (
        <Notice kind="warning">
          <p>
            この連携は有効期限が切れています。連携先はこの同意では利用できません。
            {grant.grantedByYou ? '続けて使う場合は更新してください。' : `続けて使う場合は、同意した人（${giver}）が更新します。`}
          </p>
        </Notice>
      )}
      {left !== null && left <= WARN_DAYS && (
        <Notice kind="warning">
          <p>
            この連携の有効期限まであと{left}日です。
            {grant.grantedByYou ? '続けて使う場合は更新してください。' : `続けて使う場合は、同意した人（${giver}）が更新します。`}
          </p>
        </Notice>
      )}
      <dl class="summary">
        <dt>同意した人</dt>
        <dd>{giver}</dd>
        <dt>同意日時</dt>
        <dd>{dateTime(grant.createdAt)}</dd>
        <dt>有効期限</dt>
        <dd data-testid="expires-at">
          {dateTime(grant.expiresAt)}
          {grant.expired && '（期限切れ）'}
          {grant.renewedAt && `（${dateTime(grant.renewedAt)}に更新）`}
        </dd>
        <dt>許可した操作</dt>
        <dd>
          <ul>
            {grant.scopes.map((scope) => (
              <li key={scope}>{label(PARTNER_SCOPE, scope)}</li>
            ))}
          </ul>
        </dd>
        <dt>対象口座</dt>
        <dd>
          <ul>
            {grant.accounts.map((account) => (
              <li key={account.id}>{accountText(account)}</li>
            ))}
          </ul>
        </dd>
        <dt>最終利用日時</dt>
        <dd>{grant.lastUsedAt ? dateTime(grant.lastUsedAt) : '未使用'}</dd>
      </dl>
      {open === null && (
        <div class="actions">
          {grant.grantedByYou && (
            <button type="button" class="secondary" onClick={() => onOpen('renew')}>
              更新…
            </button>
          )}
          <button type="button" class="secondary" onClick={() => onOpen('revoke')}>
            解除…
          </button>
        </div>
      )}
      {open === 'revoke' && <RevokeForm grant={grant} onCancel={() => onOpen(null)} onDone={onDone} />}
      {open === 'renew' && <RenewForm grant={grant} onCancel={() => onOpen(null)} onDone={onDone} />}
    </article>
  );
}

/** A decision on one consent, confirmed with the password: what it does, やめる, and the button. */
function ConfirmedForm(props: {
  label: string;
  formClass: string;
  explanation: string;
  submitLabel: string;
  danger?: boolean;
  onCancel: () => void;
  run: (confirmationPassword: string) => Promise<string>;
  onDone: (message: string) => void;
}) {
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const message = await action.run(() => props.run(confirmationPassword));
    setConfirmationPassword('');
    if (message) props.onDone(message);
  };
  return (
    <form class={props.formClass} onSubmit={submit} aria-label={props.label}>
      <p>{props.explanation}</p>
      <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required autoFocus />
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onCancel} disabled={action.busy}>
          やめる
        </button>
        <button type="submit" class={props.danger ? 'danger' : undefined} disabled={action.busy || !confirmationPassword}>
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}

/** The second look before a revocation: what stops, and the confirmation password. */
function RevokeForm({ grant, onCancel, onDone }: { grant: Grant; onCancel: () => void; onDone: (message: string) => void }) {
  return (
    <ConfirmedForm
      label="連携の解除"
      formClass="confirm"
      explanation={`連携先「${grant.partnerName}」との連携を解除します。連携先は次の利用から、この同意では照会も振込の作成もできなくなります。もう一度連携するには、連携先のサービスから同意し直します。よろしいですか？`}
      submitLabel="解除する"
      danger
      onCancel={onCancel}
      onDone={onDone}
      run={async (confirmationPassword) => {
        await gql(RevokePartnerGrantDocument, { grantId: grant.id, confirmationPassword });
        return `連携先「${grant.partnerName}」との連携を解除しました。`;
      }}
    />
  );
}

/** Renewal: the same partner, operations and accounts, for another full term from now. */
function RenewForm({ grant, onCancel, onDone }: { grant: Grant; onCancel: () => void; onDone: (message: string) => void }) {
  return (
    <ConfirmedForm
      label="連携の更新"
      formClass="card"
      explanation={`連携先「${grant.partnerName}」との連携を、同じ操作・同じ口座のまま、今から所定の期間延長します。`}
      submitLabel="更新する"
      onCancel={onCancel}
      onDone={onDone}
      run={async (confirmationPassword) => {
        const { renewPartnerGrant } = await gql(RenewPartnerGrantDocument, { grantId: grant.id, confirmationPassword });
        return `連携先「${grant.partnerName}」との連携を更新しました。新しい有効期限は${dateTime(renewPartnerGrant.expiresAt)}です。`;
      }}
    />
  );
}
