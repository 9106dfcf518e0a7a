/**
 * Bounds on mysql2's pool (3.x) that it does not set itself, so that a frozen server (or a
 * stalled network) answers every request within DATABASE_QUERY_TIMEOUT_MS instead of hanging:
 *
 * - Waiting for a connection: mysql2 has no acquire timeout (sidorares/node-mysql2#673), so a
 *   request queued behind busy connections, or behind a new connection whose handshake never
 *   comes, waited until the server came back. Here it gets POOL_ACQUIRE_TIMEOUT at the deadline.
 * - A connection whose query timed out: mysql2 calls back with PROTOCOL_SEQUENCE_TIMEOUT but keeps
 *   the connection, with the query still waiting for its answer, and TypeORM returns it to the
 *   pool. The next statement sent on it queues behind that query, and its own timer starts only
 *   when it is sent — never, while the server is frozen. Such a connection is destroyed instead
 *   (as mysqljs/mysql does), and the pool opens a fresh one when it needs one.
 */

/** The error a request gets when no connection came within the deadline; database.ts answers it with 503. */
export const ACQUIRE_TIMEOUT = 'POOL_ACQUIRE_TIMEOUT';
const QUERY_TIMEOUT = 'PROTOCOL_SEQUENCE_TIMEOUT';

type Callback = ((error: Error | null, connection: PooledConnection) => void) & { [GUARDED]?: true };
const GUARDED = Symbol('guarded');
const WATCHED = Symbol('watched');

interface PooledConnection {
  query(...args: unknown[]): unknown;
  release(): void;
  destroy(): void;
  [WATCHED]?: true;
}

export interface MysqlPool {
  getConnection(callback: Callback): void;
}

/** Destroys the connection when a query on it outlives its timeout, before the caller hears of it. */
function dropOnQueryTimeout(connection: PooledConnection): void {
  if (connection[WATCHED]) return;
  connection[WATCHED] = true;
  const query = connection.query.bind(connection);
  connection.query = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: (Error & { code?: string }) | null, ...results: unknown[]) => {
        if (error?.code === QUERY_TIMEOUT) connection.destroy();
        return (callback as (...a: unknown[]) => unknown)(error, ...results);
      };
    }
    return query(...args);
  };
}

export function guardMysqlPool(pool: MysqlPool, acquireTimeoutMs: number): void {
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback: Callback) => {
    // mysql2 hands a waiter on to getConnection again (a connection it released was dead): its deadline already runs.
    if (callback[GUARDED]) return getConnection(callback);
    let settled = false;
    const deadline = setTimeout(() => {
      settled = true;
      const error = Object.assign(new Error('No database connection became free in time.'), { code: ACQUIRE_TIMEOUT });
      callback(error, undefined as unknown as PooledConnection);
    }, acquireTimeoutMs);
    const guarded: Callback = (error, connection) => {
      if (settled) {
        // It came after the deadline: the pool keeps it for the next request.
        if (!error) connection.release();
        return;
      }
      settled = true;
      clearTimeout(deadline);
      if (!error) dropOnQueryTimeout(connection);
      callback(error, connection);
    };
    guarded[GUARDED] = true;
    getConnection(guarded);
  };
}
