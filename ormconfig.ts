// The DataSource the TypeORM CLI uses (e.g. `npx typeorm migration:show -d dist/ormconfig.js`),
// configured from the same environment as the gateway.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config';
import { dataSourceOptions } from './src/db/data-source';

export default new DataSource(dataSourceOptions(loadConfig().database));
