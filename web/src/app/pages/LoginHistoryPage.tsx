import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../../common/format';
import { label, LOGIN_RESULT } from '../../common/labels';
import { ErrorBox, toFacts } from '../../common/ui';
import type { ErrorFacts } from '../../common/messages';
import { gql } from '../../graphql/client';
import { LoginHistoryDocument, type LoginHistoryQuery } from '../../graphql/api.generated';

/** ログイン履歴: the user's own latest 20 logins, failures and locks included, so misuse is spotted. */
export function LoginHistoryPage() {
  const [logins, setLogins] = useState<LoginHistoryQuery['loginHistory'] | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  useEffect(() => {
    gql(LoginHistoryDocument, {})
      .then((r) => setLogins(r.loginHistory))
      .catch((e) => setError(toFacts(e)));
  }, []);
  return (
    <section>
      <h1>ログイン履歴</h1>
      <p>直近20回のログインです。お心当たりのないログインがあれば、管理者とお取引店にご連絡ください。</p>
      <ErrorBox error={error} />
      {logins?.length === 0 && <p>ログインの記録はまだありません。</p>}
      {logins && logins.length > 0 && (
        <table class="card" data-testid="login-history">
          <thead>
            <tr>
              <th scope="col">日時</th>
              <th scope="col">接続元IPアドレス</th>
              <th scope="col">結果</th>
            </tr>
          </thead>
          <tbody>
            {logins.map((login, i) => (
              <tr key={i}>
                <td>{dateTime(login.occurredAt)}</td>
                <td>{login.sourceAddress ?? '—'}</td>
                <td>{label(LOGIN_RESULT, login.result)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
