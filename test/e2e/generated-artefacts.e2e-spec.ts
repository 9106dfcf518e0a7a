import fs from 'node:fs';
import path from 'node:path';
import { generatedArtefacts } from '../../scripts/emit-schema';
import { accessViolations, unknownPartnerOperations } from '../../src/graphql/access-map';
import { buildApiSchema, buildEnrollSchema } from '../../src/graphql/schema';
import { TestGateway } from '../helpers/gateway';

describe('generated artefacts stay in sync with the code', () => {
  it('failing: schema.graphql and access-map.json are what the code generates (npm run schema:emit)', async () => {
    for (const [file, expected] of Object.entries(await generatedArtefacts())) {
      expect({ file, content: fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8') }).toEqual({ file, content: expected });
    }
  });

  it('failing: every operation and every field declares who may read it', async () => {
    const map = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'access-map.json'), 'utf8'));
    const undeclared = Object.entries(map).filter(([, access]) => (access as string[]).includes('UNDECLARED'));
    expect(undeclared).toEqual([]);
    expect(Object.keys(map).length).toBeGreaterThan(0);
  });

  it('failing: no path through the graph shows a type to a caller its declaration refuses', async () => {
    expect(accessViolations({ api: await buildApiSchema(), enroll: await buildEnrollSchema() })).toEqual([]);
  });

  it('failing: every operation open to partners is an operation of the API schema', async () => {
    expect(unknownPartnerOperations(await buildApiSchema())).toEqual([]);
  });

  it('failing: the migrations build exactly the schema the entities describe', async () => {
    const gw = await TestGateway.start({}, { seedDemo: false });
    try {
      const pending = await gw.gateway.services.db.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await gw.stop();
    }
  });
});
