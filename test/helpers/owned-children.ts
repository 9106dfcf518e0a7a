import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';

/**
 * Child processes a test starts (gateway processes, HAProxy, nginx) that must never outlive it.
 * Three nets, each for a way a test ends:
 * - the kernel signals the child when this process dies, however it dies (SIGKILL of jest or of
 *   its worker included): the child is started through `setpriv --pdeathsig` (util-linux, which
 *   Debian always has), which sets PR_SET_PDEATHSIG and then becomes the program, same pid;
 * - `killOwnedChildren()` after each test file (test/helpers/owned-children-teardown.ts), for a
 *   file whose tests failed before their own clean-up could stop what they started;
 * - this process's `exit`, for anything still running when jest ends the worker.
 */
/** Each child with the signal that stops it cleanly (nginx's master must take its workers along). */
const owned = new Map<ChildProcess, NodeJS.Signals>();
const SETPRIV = '/usr/bin/setpriv';

export function spawnOwned(
  command: string,
  args: string[],
  options: SpawnOptions & { onParentDeath: 'SIGKILL' | 'SIGTERM' },
): ChildProcess {
  const { onParentDeath, ...spawnOptions } = options;
  const child = fs.existsSync(SETPRIV)
    ? spawn(SETPRIV, ['--pdeathsig', onParentDeath, '--', command, ...args], spawnOptions)
    : spawn(command, args, spawnOptions);
  owned.set(child, onParentDeath);
  child.once('exit', () => owned.delete(child));
  return child;
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Stops every owned child still running (its own signal, SIGKILL 5 s later) and waits until each is gone; resolves with how many there were. */
export async function killOwnedChildren(): Promise<number> {
  const left = [...owned].filter(([child]) => running(child));
  await Promise.all(
    left.map(
      ([child, signal]) =>
        new Promise<void>((resolve) => {
          if (!running(child)) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill(signal);
        }),
    ),
  );
  return left.length;
}

process.once('exit', () => {
  for (const [child, signal] of owned) if (running(child)) child.kill(signal);
});
