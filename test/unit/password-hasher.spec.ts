import fs from 'node:fs';
import pino from 'pino';
import { PasswordHasher } from '../../src/auth/password-hasher';

interface ThreadStat {
  tid: number;
  nice: number;
  /** R: running or waiting for a CPU; S: asleep (an idle hashing thread waits for work). */
  state: string;
}

/** A thread of this process, from /proc/self/task/<tid>/stat. */
function thread(tid: string | number): ThreadStat {
  const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  // The thread's name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { tid: Number(tid), nice: Number(fields[16]), state: fields[0] };
}
const threads = () =>
  fs.readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      return [thread(tid)];
    } catch {
      return []; // a thread that ended between the listing and the read
    }
  });
/** The event loop's thread: its id is the process id. */
const eventLoop = () => thread(process.pid);

const niced = () => threads().filter((thread) => thread.nice === 10);
const silent = pino({ level: 'silent' });

describe('PasswordHasher', () => {
  let hasher: PasswordHasher;
  afterEach(() => hasher?.close());

  it('verifies argon2id hashes it made, NFKC-normalized, and refuses a wrong password or a non-hash', async () => {
    hasher = new PasswordHasher(2, 10, silent);
    const hash = await hasher.hash('Pass-１２３４');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=47104,t=2,p=1\$/);
    expect(await hasher.verify(hash, 'Pass-1234')).toBe(true);
    expect(await hasher.verify(hash, 'Pass-1235')).toBe(false);
    expect(await hasher.verify('!disabled', 'Pass-1234')).toBe(false);
  });

  // Linux, as the gateway runs (/proc shows each thread's nice value and whether it is running).
  it('hashes on threads of its own that run below the event loop (nice +10): a login storm leaves requests their CPU', async () => {
    expect(threads().filter((thread) => thread.nice !== 0)).toEqual([]);
    hasher = new PasswordHasher(3, 10, silent);
    await hasher.hash('warm-up'); // one thread has loaded argon2
    // Piscina starts its minimum threads together, but each gets its nice value as it comes up: on
    // a busy machine the last may still be starting when the first has hashed.
    for (const deadline = Date.now() + 30_000; niced().length < 3 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const before = niced();
    expect(before).toHaveLength(3);
    // While nine hashes run, the niced threads are seen at work (state R), however fast or busy the machine.
    let finished = false;
    const hashing = Promise.all(Array.from({ length: 9 }, (_, i) => hasher.hash(`password-${i}`))).finally(() => (finished = true));
    const seenHashing = new Set<number>();
    while (!finished) {
      for (const t of niced()) if (t.state === 'R') seenHashing.add(t.tid);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await hashing).every((hash) => hash.startsWith('$argon2id$'))).toBe(true);
    expect(seenHashing.size).toBeGreaterThan(0);
    expect([...seenHashing].every((tid) => before.some((t) => t.tid === tid))).toBe(true);
    // The event loop's own thread keeps its priority.
    expect(eventLoop().nice).toBe(0);
    await hasher.close();
    expect(niced()).toEqual([]);
  });
});
