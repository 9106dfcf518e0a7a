import { useEffect, useState } from 'preact/hooks';
import { myPasskeys } from './passkeys';

/** Whether the caller has a passkey (false until known): a risky change is then confirmed with it. */
export function useHasPasskey(): boolean {
  const [has, setHas] = useState(false);
  useEffect(() => {
    myPasskeys().then(
      (list) => setHas(list.length > 0),
      () => setHas(false),
    );
  }, []);
  return has;
}

/** 取引認証 of a risky change: what the passkey will confirm, shown before the browser's prompt opens. */
export function ChangeConfirmation({ facts }: { facts: Array<[string, string]> }) {
  return (
    <div class="card" data-testid="change-confirmation">
      <p>次の内容をパスキーで確認します（取引認証）。ボタンを押すとパスキーの確認画面が開きます。</p>
      <dl class="summary">{facts.flatMap(([name, value]) => [<dt key={`${name}-t`}>{name}</dt>, <dd key={`${name}-d`}>{value}</dd>])}</dl>
    </div>
  );
}
