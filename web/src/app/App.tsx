import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { countdown, dateTime } from '../common/format';
import { describeError } from '../common/messages';
import { ROLE, label } from '../common/labels';
import { ApiError, gql, onApiEvent } from '../graphql/client';
import { LogoutDocument, MeDocument, WhoamiDocument } from '../graphql/api.generated';
import { mayUseGraphiql, menuFor, payeeRoute } from './menu';
import { ORDER_KIND, orderRoute } from './orders/orders';
import { navigate, useRoute, type Me, type Whoami } from './session';
import { LoginPage } from './pages/LoginPage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { HomePage } from './pages/HomePage';
import { AccountsPage } from './pages/AccountsPage';
import { StatementPage } from './pages/StatementPage';
import { TransferNewPage } from './pages/TransferNewPage';
import { TransfersPage } from './pages/TransfersPage';
import { CertificatePage } from './pages/CertificatePage';
import { PasskeysPage } from './pages/PasskeysPage';
import { LoginHistoryPage } from './pages/LoginHistoryPage';
import { EmailAddressPage } from './pages/EmailAddressPage';
import { UsersPage } from './pages/admin/UsersPage';
import { UserCreatePage } from './pages/admin/UserCreatePage';
import { UserDetailPage } from './pages/admin/UserDetailPage';
import { IpAllowListPage } from './pages/admin/IpAllowListPage';
import { EmergencyStopPage } from './pages/admin/EmergencyStopPage';
import { NoticeSettingsPage } from './pages/admin/NoticeSettingsPage';
import { AuditLogPage } from './pages/admin/AuditLogPage';
import { ContractsPage } from './pages/operator/ContractsPage';
import { ContractCreatePage } from './pages/operator/ContractCreatePage';
import { HeldTransfersPage } from './pages/operator/HeldTransfersPage';
import { PartnersPage } from './pages/operator/PartnersPage';
import { BulkTransferNewPage } from './pages/BulkTransferNewPage';
import { SalaryTransferNewPage } from './pages/SalaryTransferNewPage';
import { ApprovalsPage } from './pages/ApprovalsPage';
import { OrderDetailPage } from './pages/OrderDetailPage';
import { CancelPage } from './pages/CancelPage';
import { PartnerConsentPage } from './pages/PartnerConsentPage';
import { PartnerGrantsPage } from './pages/PartnerGrantsPage';
import { PayeesPage } from './pages/payees/PayeesPage';
import { PayeeFormPage } from './pages/payees/PayeeFormPage';
import { Banners } from './Banners';

type Phase =
  | { kind: 'loading' }
  | { kind: 'login'; whoami: Whoami | null; notice: string | null; error: ApiError | null }
  | { kind: 'password'; whoami: Whoami }
  | { kind: 'ready'; me: Me };

/** The customer web app: login, then the pages the caller's role and permissions allow. */
export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const phaseRef = useRef(phase);
  phaseRef.current = phase;

  /** Where a page load, a login or a password change leads: the login page, the forced change, or the app. */
  const settle = useCallback(async (notice: string | null = null) => {
    try {
      const { whoami } = await gql(WhoamiDocument, {});
      if (!whoami.loggedIn) return setPhase({ kind: 'login', whoami, notice, error: null });
      if (whoami.mustChangePassword) return setPhase({ kind: 'password', whoami });
      const { me } = await gql(MeDocument, {});
      setPhase({ kind: 'ready', me });
    } catch (error) {
      setPhase({ kind: 'login', whoami: null, notice, error: error instanceof ApiError ? error : new ApiError('INTERNAL', String(error)) });
    }
  }, []);

  useEffect(() => {
    settle();
  }, [settle]);

  // A refusal that ends the session (stopped, locked, logged out elsewhere, expired) leaves the page.
  useEffect(
    () =>
      onApiEvent((event) => {
        if (event.kind !== 'refused') return;
        const current = phaseRef.current;
        if (current.kind === 'login') return; // the login page shows its own errors
        if (event.error.code === 'PASSWORD_EXPIRED') {
          settle();
          return;
        }
        setPhase({ kind: 'login', whoami: null, notice: null, error: event.error });
      }),
    [settle],
  );

  const logout = useCallback(
    async (notice: string) => {
      try {
        await gql(LogoutDocument, {});
      } catch {
        // Already ended on the server (idle timeout, emergency stop): the page forgets it all the same.
      }
      navigate('/');
      setPhase({ kind: 'login', whoami: null, notice, error: null });
      settle(notice);
    },
    [settle],
  );

  if (phase.kind === 'loading') return <p class="loading">読み込み中…</p>;
  if (phase.kind === 'login') {
    return (
      <Frame title="ログイン">
        <LoginPage whoami={phase.whoami} notice={phase.notice} error={phase.error} onLoggedIn={() => settle()} />
      </Frame>
    );
  }
  if (phase.kind === 'password') {
    return (
      <Frame title="パスワード変更" onLogout={() => logout('ログアウトしました。')} userName={phase.whoami.displayName}>
        <ChangePasswordPage forced whoami={phase.whoami} onChanged={() => settle()} />
      </Frame>
    );
  }
  return <Shell me={phase.me} onLogout={logout} onChanged={() => settle()} />;
}

const BRAND = '法人インターネットバンキング';

/** Names the page in the window title (what a screen reader announces, and the tab and history show). */
function useTitle(title: string): void {
  // With the render, not after paint: an effect left pending by a page that is already gone must not
  // rename the next one.
  useLayoutEffect(() => {
    document.title = `${title} — ${BRAND}`;
  }, [title]);
}

/** After a move to another page, the keyboard and the screen reader start at its heading, not in the menu. */
function focusHeading(): void {
  const heading = document.querySelector<HTMLElement>('main h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}

/** The first thing a keyboard reaches: straight to the page's heading, past the header and the menu. */
function SkipLink() {
  return (
    <a
      class="skip-link"
      href="#"
      onClick={(e) => {
        e.preventDefault();
        focusHeading();
      }}
    >
      本文へ移動
    </a>
  );
}

function Frame({
  children,
  onLogout,
  userName,
  title,
}: {
  children: preact.ComponentChildren;
  onLogout?: () => void;
  userName?: string;
  title: string;
}) {
  useTitle(title);
  return (
    <div class="frame">
      <SkipLink />
      <header class="top">
        <span class="brand">法人インターネットバンキング</span>
        {onLogout && (
          <span class="session">
            <span>{userName} 様</span>
            <button type="button" class="logout" onClick={onLogout}>
              ログアウト
            </button>
          </span>
        )}
      </header>
      <main class="single">{children}</main>
    </div>
  );
}

function Shell({ me, onLogout, onChanged }: { me: Me; onLogout: (notice: string) => void; onChanged: () => void }) {
  const route = useRoute();
  const remaining = useIdleCountdown(me.idleTimeoutSeconds, () =>
    onLogout('一定時間操作がなかったため、自動的にログアウトしました。もう一度ログインしてください。'),
  );
  const items = menuFor(me);
  const groups = [...new Set(items.map((i) => i.group))];
  useTitle(pageTitle(route, me));
  const first = useRef(true);
  useEffect(() => {
    // Not on the first page after login: the heading is read anyway, and the page has just loaded.
    if (first.current) {
      first.current = false;
      return;
    }
    focusHeading();
  }, [route]);
  return (
    <div class="frame">
      <SkipLink />
      <header class="top">
        <span class="brand">法人インターネットバンキング</span>
        <span class="session">
          <span class="who">
            {me.contractName && <span>{me.contractName}</span>} {me.displayName} 様（{label(ROLE, me.role)}）
          </span>
          <span class="previous-login" data-testid="previous-login">
            前回ログイン日時: {me.previousLoginAt ? dateTime(me.previousLoginAt) : '（初めてのログインです）'}
          </span>
          <span class="idle" aria-live="off" title="操作がないまま時間が過ぎると自動的にログアウトします">
            自動ログアウトまで {countdown(remaining)}
          </span>
          <button type="button" class="logout" onClick={() => onLogout('ログアウトしました。')}>
            ログアウト
          </button>
        </span>
      </header>
      <div class="body">
        <nav class="menu" aria-label="メニュー">
          {groups.map((group) => (
            <section key={group}>
              <h2>{group}</h2>
              <ul>
                {items
                  .filter((i) => i.group === group)
                  .map((i) => (
                    <li key={i.path}>
                      <a href={`#${i.path}`} aria-current={route === i.path ? 'page' : undefined}>
                        {i.label}
                      </a>
                    </li>
                  ))}
              </ul>
            </section>
          ))}
          {mayUseGraphiql(me) && (
            <section>
              <h2>開発者向け</h2>
              <ul>
                <li>
                  <a href="/graphiql" target="_blank" rel="noopener">
                    GraphiQL（API を直接操作）
                  </a>
                </li>
              </ul>
            </section>
          )}
        </nav>
        <main class="content" id="main">
          <Banners me={me} />
          <Page route={route} me={me} onChanged={onChanged} />
        </main>
      </div>
    </div>
  );
}

const CONSENT_ROUTE = /^\/partners\/consent\/([\w-]+)$/;

function pageTitle(route: string, me: Me): string {
  const item = menuFor(me).find((i) => i.path === route);
  if (item) return item.label;
  const order = orderRoute(route, me);
  if (order) return `${ORDER_KIND[order.kind]}の詳細（受付番号 ${order.id}）`;
  if (/^\/admin\/users\/\d+$/.test(route) && me.role === 'ADMIN') return '利用者の詳細';
  if (CONSENT_ROUTE.test(route)) return '連携の同意';
  if (payeeRoute(route, me) !== null) return '振込先の変更';
  return 'ページがありません';
}

function Page({ route, me, onChanged }: { route: string; me: Me; onChanged: () => void }) {
  const item = menuFor(me).find((i) => i.path === route);
  const userMatch = /^\/admin\/users\/(\d+)$/.exec(route);
  if (userMatch && me.role === 'ADMIN') return <UserDetailPage userId={Number(userMatch[1])} />;
  const order = orderRoute(route, me);
  if (order) return <OrderDetailPage me={me} kind={order.kind} id={order.id} />;
  // Where the bank's authorization server sends a customer's browser for a partner's request.
  const consent = CONSENT_ROUTE.exec(route);
  if (consent) return <PartnerConsentPage uid={consent[1]} />;
  const payeeId = payeeRoute(route, me);
  if (payeeId !== null) return <PayeeFormPage key={payeeId} payeeId={payeeId} />;
  if (!item)
    return (
      <section>
        <h1>ページがありません</h1>
        <p>このページはご利用いただけません。左のメニューから選んでください。</p>
      </section>
    );
  switch (item.path) {
    case '/':
      return <HomePage me={me} />;
    case '/accounts':
      return <AccountsPage />;
    case '/statement':
      return <StatementPage />;
    case '/transfers/new':
      return <TransferNewPage me={me} />;
    case '/bulk-transfers/new':
      return <BulkTransferNewPage me={me} />;
    case '/salary-transfers/new':
      return <SalaryTransferNewPage me={me} />;
    case '/approvals':
      return <ApprovalsPage me={me} />;
    case '/transfers':
      return <TransfersPage me={me} />;
    case '/cancel':
      return <CancelPage me={me} />;
    case '/payees':
      return <PayeesPage />;
    case '/payees/new':
      return <PayeeFormPage key="new" payeeId={null} />;
    case '/password':
      return <ChangePasswordPage forced={false} whoami={null} onChanged={onChanged} />;
    case '/certificate':
      return <CertificatePage me={me} />;
    case '/passkeys':
      return <PasskeysPage />;
    case '/logins':
      return <LoginHistoryPage />;
    case '/partners':
      return <PartnerGrantsPage me={me} />;
    case '/email':
      return <EmailAddressPage />;
    case '/admin/users':
      return <UsersPage />;
    case '/admin/users/new':
      return <UserCreatePage />;
    case '/admin/ip':
      return <IpAllowListPage me={me} />;
    case '/admin/stop':
      return <EmergencyStopPage />;
    case '/admin/notices':
      return <NoticeSettingsPage />;
    case '/audit':
      return <AuditLogPage me={me} />;
    case '/operator/contracts':
      return <ContractsPage />;
    case '/operator/contracts/new':
      return <ContractCreatePage />;
    case '/operator/holds':
      return <HeldTransfersPage />;
    case '/operator/partners':
      return <PartnersPage />;
    default:
      return <p>{describeError({ code: 'INTERNAL', message: '', extensions: {} })}</p>;
  }
}

/**
 * Counts down the server's idle timeout from the last answer of the API; at zero the app logs
 * out itself (the server has ended the session by then anyway). Shared PCs: R3.
 */
function useIdleCountdown(idleSeconds: number, onTimeout: () => void): number {
  const [deadline, setDeadline] = useState(() => Date.now() + idleSeconds * 1000);
  const [now, setNow] = useState(Date.now());
  const timedOut = useRef(false);
  useEffect(() => onApiEvent((event) => event.kind === 'answered' && setDeadline(Date.now() + idleSeconds * 1000)), [idleSeconds]);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const remaining = (deadline - now) / 1000;
  useEffect(() => {
    if (remaining <= 0 && !timedOut.current) {
      timedOut.current = true;
      onTimeout();
    }
  }, [remaining, onTimeout]);
  return remaining;
}
