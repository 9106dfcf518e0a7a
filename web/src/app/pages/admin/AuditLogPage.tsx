import { detailText, targetText } from '../../../common/audit-detail';
import { useEffect, useRef, useState } from 'preact/hooks';
import { dateTime, tokyoDayStart } from '../../../common/format';
import { AUDIT_ACTION, label } from '../../../common/labels';
import { ErrorBox, Field, Select, useAction, Pager } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import {
  AuditEventsDocument,
  ContractsDocument,
  UsersDocument,
  type AuditAction,
  type AuditEventsQuery,
} from '../../../graphql/api.generated';
import type { Me } from '../../session';

const PAGE_SIZE = 50;

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The contract's audit log as a file (JSON Lines with the chain fields), for the period chosen:
 * a plain link to the download, which the session cookie authorises like /graphql. Operators
 * choose a contract first.
 */
function auditLogDownloadUrl(contractId: string, from: string, to: string): string {
  const query = new URLSearchParams();
  if (contractId) query.set('contractId', contractId);
  if (from) query.set('from', tokyoDayStart(from));
  if (to) query.set('to', tokyoDayStart(nextDay(to)));
  const search = query.toString();
  return `/downloads/audit-log${search ? `?${search}` : ''}`;
}

/** 操作履歴: the audit log, newest first, by action, user (ID), contract (operators) and period. */
export function AuditLogPage({ me }: { me: Me }) {
  const [action, setAction] = useState<AuditAction | ''>('');
  const [userId, setUserId] = useState('');
  const [contractId, setContractId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [cursors, setCursors] = useState<Array<number | undefined>>([undefined]);
  const [page, setPage] = useState<AuditEventsQuery['auditEvents'] | null>(null);
  const run = useAction();
  // People choose by login ID and contract number; the filter takes the internal IDs.
  const [userChoices, setUserChoices] = useState<Array<[string, string]>>([]);
  const [contractChoices, setContractChoices] = useState<Array<[string, string]>>([]);
  useEffect(() => {
    if (me.role === 'ADMIN') {
      gql(UsersDocument, {})
        .then((r) => setUserChoices(r.users.map((u) => [String(u.id), `${u.loginId}（${u.displayName}）`])))
        .catch(() => setUserChoices([]));
    }
    if (me.role === 'OPERATOR') {
      gql(ContractsDocument, {})
        .then((r) => setContractChoices(r.contracts.map((c) => [String(c.id), `${c.code} ${c.name}`])))
        .catch(() => setContractChoices([]));
    }
  }, [me]);

  // Only the latest search is shown: an earlier answer arriving late must not replace it.
  const latest = useRef(0);
  const load = async (before: number | undefined, stack: Array<number | undefined>) => {
    const mine = ++latest.current;
    const result = await run.run(() =>
      gql(AuditEventsDocument, {
        action: action || null,
        userId: userId ? Number(userId) : null,
        contractId: contractId ? Number(contractId) : null,
        from: from ? tokyoDayStart(from) : null,
        to: to ? tokyoDayStart(nextDay(to)) : null,
        before: before ?? null,
        first: PAGE_SIZE,
      }),
    );
    if (result && mine === latest.current) {
      setPage(result.auditEvents);
      setCursors(stack);
    }
  };
  useEffect(() => {
    load(undefined, [undefined]);
  }, []);

  return (
    <section>
      <h1>操作履歴</h1>
      <form
        class="card filters"
        onSubmit={(e) => {
          e.preventDefault();
          load(undefined, [undefined]);
        }}
      >
        <Select
          label="操作"
          value={action}
          onValue={(v) => setAction(v as AuditAction | '')}
          options={[['', 'すべて'], ...Object.entries(AUDIT_ACTION).sort((a, b) => a[1].localeCompare(b[1], 'ja'))]}
        />
        {me.role === 'ADMIN' ? (
          <Select label="利用者" value={userId} onValue={setUserId} options={[['', 'すべて'], ...userChoices]} />
        ) : (
          <Field label="利用者（内部ID）" inputMode="numeric" value={userId} onValue={setUserId} />
        )}
        {me.role === 'OPERATOR' && (
          <Select label="契約" value={contractId} onValue={setContractId} options={[['', 'すべて'], ...contractChoices]} />
        )}
        <Field label="開始日" type="date" value={from} onValue={setFrom} />
        <Field label="終了日" type="date" value={to} onValue={setTo} />
        <button type="submit" disabled={run.busy}>
          検索
        </button>
        {(me.role === 'ADMIN' || contractId) && (
          <a class="button secondary" href={auditLogDownloadUrl(contractId, from, to)} download>
            期間の操作履歴をダウンロード
          </a>
        )}
      </form>
      <ErrorBox error={run.error} />
      {page && (
        <div class="card">
          <table class="audit">
            <thead>
              <tr>
                <th>日時</th>
                <th>操作</th>
                <th>結果</th>
                <th>操作者</th>
                <th>対象</th>
                <th>接続元</th>
                <th>詳細</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr key={e.id}>
                  <td>{dateTime(e.occurredAt)}</td>
                  <td>{label(AUDIT_ACTION, e.action)}</td>
                  <td>{e.outcome === 'SUCCESS' ? '成功' : e.outcome === 'FAILURE' ? '失敗' : '—'}</td>
                  <td>{e.actorLoginId ?? '—'}</td>
                  <td>{targetText(e.targetType, e.targetId)}</td>
                  <td>{e.sourceAddress ?? '—'}</td>
                  <td class="detail">{detailText(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            busy={run.busy}
            cursors={cursors}
            next={page.nextCursor ?? null}
            load={(c, stack) => load(c ?? undefined, stack)}
            labels={['新しい履歴', '古い履歴']}
          />
        </div>
      )}
    </section>
  );
}
