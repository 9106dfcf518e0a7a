import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { bulkProblems, describeError, problemPlace, problemRule, type ErrorFacts } from './messages';
import { ZENGIN_FIELD } from './labels';
import type { ZenginField } from '../graphql/codes.generated';

/**
 * An error in words (never a code, never the server's English sentence); a refused bulk transfer
 * lists every problem by record (or line) and field.
 */
export function ErrorBox({
  error,
  fromFile = false,
  rules,
}: {
  error: ErrorFacts | null;
  fromFile?: boolean;
  /** How to fix each field, where a kind of file says it differently (problemRule). */
  rules?: Partial<Record<ZenginField, string>>;
}) {
  if (!error) return null;
  const problems = bulkProblems(error);
  return (
    <div class="message error" role="alert">
      <p>{describeError(error)}</p>
      {problems.length > 0 && (
        <table class="problems" data-testid="bulk-problems">
          <caption>誤りの一覧</caption>
          <thead>
            <tr>
              <th scope="col">{fromFile ? 'レコード' : '行'}</th>
              <th scope="col">項目</th>
              <th scope="col">内容</th>
              <th scope="col">直し方</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={i}>
                <td>{problemPlace(p, fromFile)}</td>
                <td>{ZENGIN_FIELD[p.field]}</td>
                <td class="value">{p.value ?? '—'}</td>
                <td>{problemRule(p, rules)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning' | 'error'; children: ComponentChildren }) {
  return (
    <div class={`message ${kind}`} role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** The empty state of every page that needs an account: says why there is nothing, and who can change it. */
export function NoAccounts() {
  return (
    <Notice kind="warning">
      <p data-testid="no-accounts">利用口座が設定されていません。管理者にご依頼ください。</p>
    </Notice>
  );
}

interface InputProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  type?: 'text' | 'password' | 'date' | 'number' | 'email';
  required?: boolean;
  autoFocus?: boolean;
  autocomplete?: string;
  autocapitalize?: 'off' | 'none';
  spellcheck?: boolean;
  inputMode?: 'numeric' | 'text';
  maxLength?: number;
  placeholder?: string;
  /** What is wrong with this field, said next to it (the field is marked invalid for screen readers). */
  error?: string;
}

/** A labelled input; the label is also the accessible name the browser tests use. */
export function Field({ label, value, onValue, hint, error, type = 'text', ...rest }: InputProps) {
  // Preact types <input> by its `type`; this one takes a few of them, so the attributes are built first.
  // maxLength and inputMode always have a value: when Preact reuses an input for another field,
  // an attribute that goes away is set to "" — for maxLength that is 0, and nothing can be typed.
  const attributes = {
    ...rest,
    maxLength: rest.maxLength ?? 1000,
    inputMode: rest.inputMode ?? 'text',
    type,
    value,
    'aria-invalid': error ? true : undefined,
    onInput: (e: Event) => onValue((e.target as HTMLInputElement).value),
  } as JSX.IntrinsicElements['input'];
  return (
    <label class="field">
      <span class="label">{label}</span>
      <input {...attributes} />
      {hint && <span class="hint">{hint}</span>}
      {error && <span class="field-error">{error}</span>}
    </label>
  );
}

/** A masked password field: never autofilled or remembered (shared PCs, R3). */
export function PasswordField(props: Omit<InputProps, 'type'>) {
  return <Field {...props} type="password" autocomplete="off" autocapitalize="off" spellcheck={false} />;
}

export function Select({
  label,
  value,
  onValue,
  options,
}: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: Array<[string, string]>;
}) {
  return (
    <label class="field">
      <span class="label">{label}</span>
      <select value={value} onChange={(e) => onValue((e.target as HTMLSelectElement).value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The buttons of a cursor-paged list: `cursors` are the pages seen so far (the first is the first
 * page's), `next` the API's nextCursor; `load(cursor, stack)` shows that page and keeps the stack.
 */
export function Pager<C>({
  busy,
  cursors,
  next,
  load,
  labels,
}: {
  busy: boolean;
  cursors: C[];
  next: C | null;
  load: (cursor: C, stack: C[]) => void;
  labels: [previous: string, next: string];
}) {
  return (
    <div class="pager no-print">
      <button
        type="button"
        class="secondary"
        disabled={busy || cursors.length <= 1}
        onClick={() => load(cursors[cursors.length - 2], cursors.slice(0, -1))}
      >
        {labels[0]}
      </button>
      <button
        type="button"
        class="secondary"
        disabled={busy || next === null}
        onClick={() => next !== null && load(next, [...cursors, next])}
      >
        {labels[1]}
      </button>
    </div>
  );
}

/** Runs one API call at a time for a form, keeping its error and busy state. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorFacts | null>(null);
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(toFacts(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

export function toFacts(e: unknown): ErrorFacts {
  if (e && typeof e === 'object' && 'code' in e && 'extensions' in e) return e as ErrorFacts;
  return { code: 'INTERNAL', message: String(e), extensions: {} };
}

/**
 * What is shown once (temporary passwords, enrollment codes): on screen until the person leaves
 * the page, printable, never stored by the app.
 */
export function SecretSheet({ title, rows, note }: { title: string; rows: Array<[string, string]>; note: string }) {
  return (
    <section class="secret-sheet print-sheet" aria-label={title}>
      <h3>{title}</h3>
      <dl>
        {rows.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd class="secret">{value}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">{note}</p>
      <button type="button" class="secondary no-print" onClick={() => window.print()}>
        印刷する
      </button>
    </section>
  );
}
