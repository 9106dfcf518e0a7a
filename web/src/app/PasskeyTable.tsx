import type { ComponentChildren } from 'preact';
import { dateTime } from '../common/format';

interface Row {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
}

/** A user's passkeys (取引認証) as パスキー管理 and the administrator's user page list them, each with its own action. */
export function PasskeyTable<P extends Row>({
  passkeys,
  captionHidden = false,
  action,
}: {
  passkeys: P[];
  captionHidden?: boolean;
  action: (passkey: P) => ComponentChildren;
}) {
  if (passkeys.length === 0) return <p data-testid="no-passkeys">登録済みのパスキーはありません。</p>;
  return (
    <table data-testid="passkeys">
      <caption class={captionHidden ? 'visually-hidden' : undefined}>登録済みのパスキー</caption>
      <thead>
        <tr>
          <th scope="col">名前</th>
          <th scope="col">登録日時</th>
          <th scope="col">最終利用日時</th>
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        {passkeys.map((p) => (
          <tr key={p.id}>
            <td>{p.name}</td>
            <td>{dateTime(p.createdAt)}</td>
            <td>{p.lastUsedAt ? dateTime(p.lastUsedAt) : '未使用'}</td>
            <td>{action(p)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
