import fs from 'node:fs';
import path from 'node:path';

/**
 * The layers of src/ form no circle — type-only imports included, because a circle of types is
 * still two modules that cannot be understood (or moved) one without the other. ESLint's
 * import-x/no-cycle sees only the imports that survive compilation; this sees them all.
 */
const SRC = path.join(__dirname, '..', '..', 'src');
const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate)) ?? null;
}

export function importGraph(files: string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const targets = [...text.matchAll(IMPORT)].map((m) => resolveImport(file, m[1])).filter((t): t is string => t !== null);
      return [file, [...new Set(targets)]];
    }),
  );
}

/** Every circle, each reported once as the list of files from its first member back to it. */
export function circles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const circle = stack.slice(stack.indexOf(next));
        const key = [...circle].sort().join('|');
        if (!found.has(key))
          found.set(
            key,
            [...circle, next].map((f) => path.relative(SRC, f)),
          );
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

describe('import graph of src/', () => {
  it('failing: no module imports, directly or through others, a module that imports it', () => {
    expect(circles(importGraph(sourceFiles(SRC)))).toEqual([]);
  });

  it('failing: the customer administrator’s menu and the bank’s console do not import each other', () => {
    const graph = importGraph(sourceFiles(SRC));
    const crossings = [...graph].flatMap(([file, targets]) =>
      targets
        .map((target) => [path.relative(SRC, file), path.relative(SRC, target)])
        .filter(
          ([from, to]) =>
            (from.startsWith('admin/') && to.startsWith('operator/')) || (from.startsWith('operator/') && to.startsWith('admin/')),
        ),
    );
    expect(crossings).toEqual([]);
  });

  it('failing: a planted circle, type imports included, is found', () => {
    const a = path.join(SRC, 'a.ts');
    const b = path.join(SRC, 'b.ts');
    const c = path.join(SRC, 'c.ts');
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('successful: the parser sees type-only and multi-line imports', () => {
    const file = path.join(SRC, 'graphql', 'context.ts');
    const targets = importGraph([file])
      .get(file)!
      .map((t) => path.relative(SRC, t));
    expect(targets).toEqual(expect.arrayContaining(['auth/identity.service.ts', 'auth/session.entity.ts']));
  });
});
