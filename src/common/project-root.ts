import fs from 'node:fs';
import path from 'node:path';

/**
 * The project folder: the nearest folder holding package.json at or above `from`, whether the
 * code runs compiled (under dist/) or as TypeScript (the tests); null when there is none.
 */
export function findProjectRoot(from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/** As findProjectRoot, for tools that cannot run without the project: throws when there is none. */
export function projectRoot(from: string): string {
  const root = findProjectRoot(from);
  if (!root) throw new Error(`package.json not found above ${from}`);
  return root;
}
