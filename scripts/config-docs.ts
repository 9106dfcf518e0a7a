// Writes docs/configuration.md from the settings schema (src/config.ts), or with --check fails
// when the committed file is stale. Run by `npm run config:docs`.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { settingsSchema } from '../src/config';
import { projectRoot } from '../src/common/project-root';

// Run from dist/scripts (npm run config:docs) or from scripts/ (the tests).
const root = projectRoot(__dirname);

export const CONFIGURATION_DOC = 'docs/configuration.md';

export interface SettingRow {
  variable: string;
  default: string;
  values: string;
  description: string;
}

const code = (value: unknown) => `\`${String(value)}\``;

/** One setting as the table shows it: the metadata of every wrapper (outer first), the default, and the innermost type's bounds. */
export function settingRow(variable: string, setting: z.ZodType): SettingRow {
  let meta: z.GlobalMeta = {};
  let fallback: unknown;
  let inner: z.ZodType = setting;
  for (;;) {
    meta = { ...z.globalRegistry.get(inner), ...meta };
    if (inner instanceof z.ZodDefault) {
      fallback = inner.def.defaultValue;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodOptional) {
      inner = inner.unwrap() as z.ZodType;
    } else break;
  }
  if (!meta.description) throw new Error(`${variable} has no description: add .describe('…') to it in src/config.ts`);
  let values = meta.values;
  if (!values && inner instanceof z.ZodEnum) values = inner.options.map(code).join(', ');
  if (!values && inner instanceof z.ZodNumber) values = `${inner.isInt ? 'integer ' : ''}${inner.minValue}–${inner.maxValue}`;
  const shownDefault = meta.defaultText ?? (fallback === undefined ? '_(none)_' : fallback === '' ? '_(empty)_' : code(fallback));
  return { variable, default: shownDefault, values: values ?? 'text', description: meta.description };
}

export function settingRows(schema: z.ZodObject = settingsSchema): SettingRow[] {
  return Object.entries(schema.shape).map(([variable, setting]) => settingRow(variable, setting as z.ZodType));
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/configuration.md, formatted as Prettier keeps it. */
export function configurationDoc(): string {
  const rows = settingRows().map(
    (row) => `| ${code(row.variable)} | ${cell(row.default)} | ${cell(row.values)} | ${cell(row.description)} |`,
  );
  const text = [
    '# Configuration',
    '',
    '<!-- Generated from the settings schema in src/config.ts by `npm run config:docs`: edit the schema, not this file (a test fails while it is stale). -->',
    '',
    'Every setting comes from an environment variable. An invalid value stops the gateway at start with one line naming',
    'the variable, what is wrong and the value it got. Which settings matter in production, and why:',
    '[operations.md](operations.md).',
    '',
    '| Variable | Default | Allowed values | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  // Prettier's CLI in a child process: its module loads itself with dynamic imports, which jest cannot run.
  return execFileSync(
    process.execPath,
    [require.resolve('prettier/bin/prettier.cjs'), '--stdin-filepath', path.join(root, CONFIGURATION_DOC)],
    {
      input: text,
      encoding: 'utf8',
    },
  );
}

function main() {
  const target = path.join(root, CONFIGURATION_DOC);
  const content = configurationDoc();
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current === content) return;
  if (process.argv.includes('--check')) {
    console.error(`${CONFIGURATION_DOC} is stale: run npm run config:docs and commit it`);
    process.exit(1);
  }
  fs.writeFileSync(target, content);
  console.log(`wrote ${CONFIGURATION_DOC}`);
}

if (require.main === module) main();
