import fs from 'node:fs';
import path from 'node:path';
import { generatedArtefacts } from '../../scripts/emit-schema';
import { TestGateway } from '../helpers/gateway';

describe('generated artefacts stay in sync with the code', () => {
  it('failing: schema.graphql and access-map.json are what the code generates (npm run schema:emit)', async () => {
    for (const [file, expected] of Object.entries(await generatedArtefacts())) {
      expect({ file, content: fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8') }).toEqual({ file, content: expected });
    }
  });

  it('failing: every operation declares who may call it', async () => {
    const map = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'access-map.json'), 'utf8'));
    const undeclared = Object.entries(map).filter(([, access]) => (access as string[]).includes('UNDECLARED'));
    expect(undeclared).toEqual([]);
    expect(Object.keys(map).length).toBeGreaterThan(0);
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
