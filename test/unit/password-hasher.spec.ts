import fs from 'node:fs';
import { PasswordHasher } from '../../src/auth/password-hasher';

/** The nice value of each of this process's threads (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return fs.readdirSync('/proc/self/task').map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The thread's name (field 2) may hold spaces and parentheses: count from the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('PasswordHasher', () => {
  let hasher: PasswordHasher;
  afterEach(() => hasher?.close());

  it('verifies argon2id hashes it made, NFKC-normalized, and refuses a wrong password or a non-hash', async () => {
    hasher = new PasswordHasher(2, 10);
    const hash = await hasher.hash('Pass-１２３４');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=47104,t=2,p=1\$/);
    expect(await hasher.verify(hash, 'Pass-1234')).toBe(true);
    expect(await hasher.verify(hash, 'Pass-1235')).toBe(false);
    expect(await hasher.verify('!disabled', 'Pass-1234')).toBe(false);
  });

  // Linux, as the gateway runs (/proc shows each thread's nice value).
  it('hashes on its own threads, which run below the event loop (nice +10): a login storm leaves requests their CPU', async () => {
    const before = threadNiceValues();
    expect(before.filter((nice) => nice !== 0)).toEqual([]);
    hasher = new PasswordHasher(3, 10);
    await Promise.all([hasher.hash('a'), hasher.hash('b'), hasher.hash('c')]);
    const after = threadNiceValues();
    expect(after.filter((nice) => nice === 10)).toHaveLength(3);
    // The event loop's own thread (the first task) keeps its priority.
    expect(Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[16])).toBe(0);
    await hasher.close();
    expect(threadNiceValues().filter((nice) => nice === 10)).toEqual([]);
  });
});
