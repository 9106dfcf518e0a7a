// Writes the generated artefacts (schema.graphql, access-map.json) from the code, or with
// --check fails when the committed ones are stale.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { accessMap } from '../src/graphql/access-map';
import { buildApiSchema, buildEnrollSchema, printSdl } from '../src/graphql/schema';

// Run from dist/scripts (npm run schema:emit) or from scripts/ (the tests): the root holds package.json.
const root = [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')].find((dir) =>
  fs.existsSync(path.join(dir, 'package.json')),
)!;

export async function generatedArtefacts(): Promise<Record<string, string>> {
  return {
    'schema.graphql': printSdl(await buildApiSchema()),
    'schema.enroll.graphql': printSdl(await buildEnrollSchema()),
    'access-map.json': JSON.stringify(accessMap({ api: await buildApiSchema(), enroll: await buildEnrollSchema() }), null, 2) + '\n',
  };
}

async function main() {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const [file, content] of Object.entries(await generatedArtefacts())) {
    const target = path.join(root, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current === content) continue;
    if (check) {
      console.error(`${file} is stale: run npm run schema:emit and commit it`);
      stale = true;
    } else {
      fs.writeFileSync(target, content);
      console.log(`wrote ${file}`);
    }
  }
  if (stale) process.exit(1);
}

if (require.main === module) main();
