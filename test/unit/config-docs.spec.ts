import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CONFIGURATION_DOC, configurationDoc, settingRow, settingRows } from '../../scripts/config-docs';
import { loadConfig, settingsSchema } from '../../src/config';

describe('the configuration table is generated from the settings schema', () => {
  it('docs/configuration.md is what npm run config:docs writes from src/config.ts', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', CONFIGURATION_DOC), 'utf8');
    expect(committed).toBe(configurationDoc());
  });

  it('every variable the gateway reads has a row with a description, and the integers their bounds', () => {
    const rows = settingRows();
    expect(rows.map((row) => row.variable)).toEqual(Object.keys(settingsSchema.shape));
    for (const row of rows) expect(row.description.length).toBeGreaterThan(10);
    expect(rows.find((row) => row.variable === 'API_PORT')).toEqual(
      expect.objectContaining({ default: '`8443`', values: 'integer 0–65535' }),
    );
    expect(rows.find((row) => row.variable === 'PASSWORD_EXPIRY_MODE')).toEqual(
      expect.objectContaining({ default: '`soft`', values: '`soft`, `enforce`' }),
    );
  });

  it('the defaults the table shows are the ones the gateway runs with', () => {
    const config = loadConfig({});
    const shown = Object.fromEntries(settingRows().map((row) => [row.variable, row.default]));
    expect(shown).toMatchObject({
      LISTEN_HOST: `\`${config.listenHost}\``,
      ENROLL_PORT: `\`${config.enrollPort}\``,
      METRICS_PORT: `\`${config.metrics?.port}\``,
      LOCKOUT_THRESHOLD: `\`${config.auth.lockoutThreshold}\``,
      AUDIT_ARCHIVE_DIR: `\`${path.relative(process.cwd(), config.audit.archiveDir)}\``,
      TRUSTED_PROXIES: '_(empty)_',
    });
  });

  it('a setting declared without a description stops the generator, naming it', () => {
    expect(() => settingRow('NEW_SETTING', z.coerce.number().int().min(1).max(9).default(3))).toThrow(/^NEW_SETTING has no description/);
  });
});
