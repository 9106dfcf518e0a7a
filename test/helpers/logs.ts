import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { LogEntry } from './gateway-process';

/** A logger for an in-process gateway that keeps every JSON line it writes, like GatewayProcess.logs. */
export function capturingLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) entries.push(JSON.parse(line) as LogEntry);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), entries };
}

/** The first entry that matches, waiting for it (a process writes its lines a little after it answers). */
export async function logged(entries: LogEntry[], matches: (entry: LogEntry) => boolean, timeoutMs = 10_000): Promise<LogEntry> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = entries.find(matches);
    if (entry) return entry;
    if (Date.now() > deadline) throw new Error(`no log line matched within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Access-log lines of the API listener for requests whose only GraphQL root field is `operation`. */
export function apiRequests(entries: LogEntry[], operation: string): LogEntry[] {
  return entries.filter(
    (e) => e.msg === 'request' && e.listener === 'api' && Array.isArray(e.operations) && e.operations.join() === operation,
  );
}
