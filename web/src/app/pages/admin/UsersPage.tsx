import { useEffect, useState } from 'preact/hooks';
import { date, dateTime } from '../../../common/format';
import { PERMISSION, ROLE, USER_STATUS, label } from '../../../common/labels';
import { ErrorBox, toFacts } from '../../../common/ui';
import type { ErrorFacts } from '../../../common/messages';
import { gql } from '../../../graphql/client';
import { UsersDocument, type UsersQuery } from '../../../graphql/api.generated';

/** 管理機能 › IDメンテナンス: the contract's user IDs with their status, lock and certificate. */
export function UsersPage() {
  const [users, setUsers] = useState<UsersQuery['users'] | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  useEffect(() => {
    gql(UsersDocument, {})
      .then((r) => setUsers(r.users))
      .catch((e) => setError(toFacts(e)));
  }, []);
  return (
    <section>
      <h1>IDメンテナンス（利用者一覧）</h1>
      <p>
        <a class="button" href="#/admin/users/new">
          利用者を登録する
        </a>
      </p>
      <ErrorBox error={error} />
      {users && (
        <table class="card">
          <thead>
            <tr>
              <th>ログインID</th>
              <th>氏名</th>
              <th>区分</th>
              <th>状態</th>
              <th>業務権限</th>
              <th>電子証明書</th>
              <th>最終ログイン</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid={`user-${u.loginId}`}>
                <td>{u.loginId}</td>
                <td>{u.displayName}</td>
                <td>{label(ROLE, u.role)}</td>
                <td>
                  {label(USER_STATUS, u.status)}
                  {u.locked && <span class="tag danger">ロック中</span>}
                  {u.passwordTemporary && <span class="tag">仮パスワード</span>}
                </td>
                <td>{u.permissions.map((p) => label(PERMISSION, p)).join('・') || '—'}</td>
                <td>{u.activeCertificate ? `${date(u.activeCertificate.notAfter)}まで` : <span class="tag">未取得</span>}</td>
                <td>{dateTime(u.lastLoginAt)}</td>
                <td>
                  <a href={`#/admin/users/${u.id}`}>詳細・変更</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
