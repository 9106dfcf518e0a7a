import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { typedNumber, yen } from '../../common/format';
import { accountText, chosenAccountText } from '../../common/labels';
import { ErrorBox, Field, NoAccounts, Notice, PasswordField, Select, useAction } from '../../common/ui';
import { gql } from '../../graphql/client';
import { AccountChoicesDocument, type AccountChoicesQuery, type BulkTransferLineInput } from '../../graphql/api.generated';
import type { ZenginField } from '../../graphql/codes.generated';
import { ORDER_KIND, orderPath, type LinesOrder } from '../orders/orders';
import { parseLines } from './bulk-lines';
import { OrderSummary } from '../orders/OrderViews';
import { can, type Me } from '../session';

type Source = 'file' | 'lines';

/** What one request sends, whichever the source: the file, or the lines entered. */
export type LinesOrderDraft = { fromAccountId: number; confirmationPassword: string; idempotencyKey: string } & (
  { source: 'file'; fileBase64: string } | { source: 'lines'; lines: BulkTransferLineInput[] }
);

/** How a kind paid to many payees at once (総合振込, 給与・賞与振込) differs on this page. */
export interface LinesOrderForm {
  kind: LinesOrder['kind'];
  /** The file's name and what it holds (種別コード, layout). */
  file: { label: string; hint: string };
  /** How to fix a problem of this kind's file, where it differs from 総合振込's. */
  rules?: Partial<Record<ZenginField, string>>;
  /** Shown above the form: what the person must know before making one (dates, deadline). */
  explanation?: ComponentChildren;
  /** More to fill in when the lines are entered (a file carries it in its header), and whether it is complete. */
  linesFields?: { fields: ComponentChildren; complete: boolean; confirmRows: Array<[string, string]> };
  send: (draft: LinesOrderDraft) => Promise<LinesOrder>;
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * 総合振込・給与・賞与振込の作成: a Zengin file (全銀形式) or lines typed on the page; a confirmation
 * page with the confirmation password; every problem by record (or line) and field; then the order
 * as accepted.
 */
export function LinesOrderNewPage({ me, form }: { me: Me; form: LinesOrderForm }) {
  const name = ORDER_KIND[form.kind];
  const [accounts, setAccounts] = useState<AccountChoicesQuery['accounts'] | null>(null);
  const [fromAccountId, setFromAccountId] = useState('');
  const [source, setSource] = useState<Source>('file');
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [step, setStep] = useState<'input' | 'confirm'>('input');
  const [confirmationPassword, setConfirmationPassword] = useState('');
  // One key per draft: a retry after an unclear answer cannot make the order twice.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [created, setCreated] = useState<LinesOrder | null>(null);
  const action = useAction();

  useEffect(() => {
    if (!can(me, 'ACCOUNT_INQUIRY')) return;
    gql(AccountChoicesDocument, {}).then((r) => {
      setAccounts(r.accounts);
      if (r.accounts[0]) setFromAccountId((id) => id || String(r.accounts[0].id));
    });
  }, [me]);

  const parsed = parseLines(text);
  const total = parsed.lines.reduce((sum, l) => sum + (Number.isSafeInteger(l.amount) ? l.amount : 0), 0);
  const linesReady = parsed.lines.length > 0 && parsed.problems.length === 0 && (form.linesFields?.complete ?? true);
  const ready = /^\d+$/.test(fromAccountId) && (source === 'file' ? file !== null : linesReady);
  const edit = () => {
    setStep('input');
    setIdempotencyKey(crypto.randomUUID());
  };

  const execute = async (e: Event) => {
    e.preventDefault();
    const password = confirmationPassword;
    setConfirmationPassword('');
    const result = await action.run(async () => {
      const common = { fromAccountId: Number(fromAccountId), confirmationPassword: password, idempotencyKey };
      if (source === 'file') return form.send({ ...common, source, fileBase64: await base64Of(file!) });
      return form.send({ ...common, source, lines: parsed.lines });
    });
    if (result) setCreated(result);
  };

  if (accounts && accounts.length === 0) {
    return (
      <section>
        <h1>{name}の作成</h1>
        <NoAccounts />
      </section>
    );
  }

  if (created) {
    return (
      <section>
        <h1>{name}の受付</h1>
        <Notice kind="success">
          <p>
            {name}を受け付けました（受付番号 {created.id}）。
            {created.status === 'PENDING_APPROVAL' && '承認者の承認を受けると、振込指定日に実行されます。'}
          </p>
        </Notice>
        <div class="card">
          <OrderSummary order={created} />
        </div>
        <p>
          <a href={`#${orderPath(created)}`}>明細と受付票を見る</a>{' '}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setCreated(null);
              setFile(null);
              setText('');
              edit();
            }}
          >
            続けて{name}を作成する
          </button>
        </p>
      </section>
    );
  }

  if (step === 'confirm') {
    return (
      <section>
        <h1>{name}の確認</h1>
        <p>
          内容をご確認のうえ、確認用パスワードを入力して「実行」を押してください。明細はすべて確認し、誤りがあれば一覧でお知らせします（その場合は何も登録しません）。
        </p>
        <dl class="card summary">
          <dt>支払口座</dt>
          <dd>{chosenAccountText(accounts, fromAccountId)}</dd>
          {source === 'file' ? (
            <>
              <dt>ファイル</dt>
              <dd>
                {file?.name}（{file?.size.toLocaleString('ja-JP')}バイト、全銀形式）
              </dd>
            </>
          ) : (
            <>
              {form.linesFields?.confirmRows.map(([term, value]) => (
                <Fragment key={term}>
                  <dt>{term}</dt>
                  <dd>{value}</dd>
                </Fragment>
              ))}
              <dt>件数</dt>
              <dd>{parsed.lines.length}件</dd>
              <dt>合計金額</dt>
              <dd class="amount">{yen(total)}</dd>
            </>
          )}
        </dl>
        <form onSubmit={execute} class="card" aria-label={`${name}の実行`}>
          <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required autoFocus />
          <ErrorBox error={action.error} fromFile={source === 'file'} rules={form.rules} />
          <div class="actions">
            <button type="button" class="secondary" onClick={edit} disabled={action.busy}>
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

  return (
    <section>
      <h1>{name}の作成</h1>
      {form.explanation}
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) setStep('confirm');
        }}
      >
        {accounts ? (
          <Select
            label="支払口座"
            value={fromAccountId}
            onValue={setFromAccountId}
            options={accounts.map((a) => [String(a.id), accountText(a)])}
          />
        ) : (
          <Field label="支払口座（口座ID）" inputMode="numeric" value={fromAccountId} onValue={(v) => setFromAccountId(typedNumber(v))} />
        )}
        <fieldset class="choices">
          <legend>明細の指定方法</legend>
          <label>
            <input type="radio" name="source" checked={source === 'file'} onChange={() => setSource('file')} /> 全銀形式のファイルを読み込む
          </label>
          <label>
            <input type="radio" name="source" checked={source === 'lines'} onChange={() => setSource('lines')} /> 画面で入力する
          </label>
        </fieldset>
        {source === 'file' ? (
          <label class="field">
            <span class="label">{form.file.label}</span>
            <input type="file" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
            <span class="hint">{form.file.hint}</span>
          </label>
        ) : (
          <>
            {form.linesFields?.fields}
            <label class="field">
              <span class="label">明細（1行に1件）</span>
              <textarea rows={8} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} spellcheck={false} />
              <span class="hint">
                金融機関コード, 支店番号, 科目, 口座番号, 受取人名（カナ）, 金額
                の順に、カンマまたはタブで区切ります（表計算ソフトから貼り付けできます）。例: 0009, 123, 普通, 7654321, ｶ)ﾃﾞﾓ ｼｮｳｼﾞ, 250000
              </span>
            </label>
          </>
        )}
        {source === 'lines' && parsed.lines.length > 0 && (
          <p data-testid="lines-summary">
            {parsed.lines.length}件、合計 {yen(total)}
          </p>
        )}
        {source === 'lines' && parsed.problems.length > 0 && (
          <ul class="field-error">
            {parsed.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <button type="submit" disabled={!ready}>
          確認画面へ
        </button>
      </form>
    </section>
  );
}
