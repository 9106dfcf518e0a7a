import { QueryFailedError } from 'typeorm';
import { asServiceUnavailable, retryReasonOf } from '../../src/db/database';

/** What the drivers throw, as TypeORM wraps it: the driver's error under `driverError`. */
const failed = (driverError: { code?: string; errno?: number }) =>
  new QueryFailedError('UPDATE …', [], Object.assign(new Error('refused'), driverError));

/**
 * Which failed transactions `db.transaction` runs again. The runs themselves are tested against
 * a real Galera cluster (test/e2e/galera.e2e-spec.ts); these are the engines that suite cannot start.
 */
describe('transactions worth running again', () => {
  it('successful: a deadlock or a cluster conflict on any MySQL-compatible engine, and a busy SQLite file', () => {
    expect(retryReasonOf(failed({ code: 'ER_LOCK_DEADLOCK', errno: 1213 }))).toBe('ER_LOCK_DEADLOCK'); // also Galera's certification
    expect(retryReasonOf(failed({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }))).toBe('ER_LOCK_WAIT_TIMEOUT');
    expect(retryReasonOf(failed({ code: 'ER_TRANSACTION_ROLLBACK_DURING_COMMIT', errno: 3101 }))).toBe(
      'ER_TRANSACTION_ROLLBACK_DURING_COMMIT',
    ); // Group Replication
    expect(retryReasonOf(failed({ errno: 9007 }))).toBe('TIDB_WRITE_CONFLICT');
    expect(retryReasonOf(failed({ code: 'SQLITE_BUSY' }))).toBe('SQLITE_BUSY');
  });

  it('failing: anything else is not run again (a refused unique key, a lost connection, a domain refusal)', () => {
    expect(retryReasonOf(failed({ code: 'ER_DUP_ENTRY', errno: 1062 }))).toBeNull();
    expect(retryReasonOf(failed({ code: 'PROTOCOL_CONNECTION_LOST' }))).toBeNull();
    expect(retryReasonOf(failed({ code: 'ER_NO_SUCH_TABLE', errno: 1146 }))).toBeNull();
    expect(retryReasonOf(new Error('LIMIT_EXCEEDED'))).toBeNull();
    expect(retryReasonOf(undefined)).toBeNull();
  });

  it('failing: a busy SQLite file still busy after every run is SERVICE_UNAVAILABLE (try again), not an internal error', () => {
    expect(retryReasonOf(failed({ code: 'SQLITE_BUSY_SNAPSHOT' }))).toBe('SQLITE_BUSY_SNAPSHOT');
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT'])
      expect(asServiceUnavailable(failed({ code }))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { retryAfterSeconds: 5 } });
  });
});
