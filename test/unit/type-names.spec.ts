import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** The names of the classes, enums, interfaces and type aliases a file exports. */
function exportedTypes(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  return source.statements
    .filter(
      (statement): statement is ts.ClassDeclaration | ts.EnumDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
        (ts.isClassDeclaration(statement) ||
          ts.isEnumDeclaration(statement) ||
          ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement)) &&
        Boolean(statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)),
    )
    .map((statement) => statement.name!.text);
}

describe('type names', () => {
  it('failing: no two modules export a type of the same name (one meaning per name: CertificateStatus is how long a certificate stays valid, RevocationStatus whether it was revoked)', () => {
    const where = new Map<string, string[]>();
    for (const file of sourceFiles(SRC)) {
      for (const name of exportedTypes(file)) where.set(name, [...(where.get(name) ?? []), path.relative(SRC, file)]);
    }
    expect(where.size).toBeGreaterThan(100);
    expect([...where].filter(([, files]) => files.length > 1)).toEqual([]);
  });
});
