import { AbstractSqliteDriver } from 'typeorm/driver/sqlite-abstract/AbstractSqliteDriver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { sqliteDateTime } from '../../src/db/prepared-read';

/** What TypeORM itself makes of a SQLite datetime string (the driver's hydration uses no driver state). */
const typeormReads = (value: string): Date =>
  AbstractSqliteDriver.prototype.prepareHydratedValue.call({}, value, { type: 'datetime' } as ColumnMetadata) as Date;

/** TypeORM's way of writing a Date to a SQLite datetime column. */
const written = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

describe('reading SQLite datetimes without TypeORM (prepared reads)', () => {
  it('successful: every datetime written over 400 years, at random moments, reads as the Date TypeORM reads', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const from = Date.UTC(1800, 0, 1);
    const to = Date.UTC(2200, 0, 1);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = written(new Date(Math.floor(from + random() * (to - from))));
      const read = sqliteDateTime(value);
      if (read) {
        fast++;
        expect(read.getTime()).toBe(typeormReads(value).getTime());
      }
    }
    // Days 29–31 are left to TypeORM; the rest (28 of ~30.4 days a month) take the fast path.
    expect(fast / 20_000).toBeGreaterThan(0.88);
  });

  it('successful: the edges of each field read as TypeORM reads them', () => {
    for (const value of ['1970-01-01 00:00:00.000', '2026-12-07 23:59:59.999', '0100-01-01 00:00:00.000', '9999-12-28 12:00:00.500']) {
      expect(sqliteDateTime(value)?.getTime()).toBe(typeormReads(value).getTime());
    }
  });

  it('failing: any other form or an unusual value is left to TypeORM (null)', () => {
    const others = [
      '2026-12-07T01:31:10.123', // ISO separator
      '2026-12-07 01:31:10.123Z',
      '2026-12-07 01:31:10',
      '2026-12-07',
      '2026-12-07 01:31:10.12a',
      '2026/12/07 01:31:10.123',
      '0099-12-07 01:31:10.123', // Date.UTC would read year 99 as 1999
      '2026-02-29 01:31:10.123', // past day 28: V8 rolls such a day over, TypeORM decides
      '2026-13-07 01:31:10.123',
      '2026-12-07 24:00:00.000',
      '2026-12-07 23:59:60.000',
      '2026-12-07 -1:31:10.123',
      '２０２６-12-07 01:31:10.123',
    ];
    for (const value of others) expect(sqliteDateTime(value)).toBeNull();
  });
});
