import type { Logger } from 'typeorm';

/**
 * TypeORM's logger, used only to count SQL statements (a test fails on N+1 with it). It logs
 * nothing: queries carry parameters, and parameters may be password hashes.
 */
export class QueryCounter implements Logger {
  count = 0;

  logQuery(): void {
    this.count++;
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
