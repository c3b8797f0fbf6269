// A batch of rows bound as a few parameters and read back as a table, for
// bulk statements: one statement however many rows. Bound variables are
// capped (SQLite 32,766, PostgreSQL 65,535), and a VALUES list of thousands
// of parameters costs more to build and plan than the rows cost to write
// (measured on the import: more time went to the query builder and the
// planner than to the database). PostgreSQL takes one array per column
// (unnest, five times faster to read than JSON there); SQLite, which has no
// arrays, one JSON array of rows.
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from './database.ts';
import type { DB } from './schema.ts';

export type BulkColumnType = 'text' | 'bigint' | 'timestamp';

/** Timestamps as ISO-8601 UTC text, as the SQLite columns store them. */
export type BulkValue = string | number | null;

const postgresTypes: Readonly<Record<BulkColumnType, string>> = {
  text: 'text[]',
  bigint: 'bigint[]',
  timestamp: 'timestamptz[]',
};

/** Rows per bulk statement: bounds the size of its parameters. */
export const bulkChunk = 10_000;

/** `items` in slices of at most `size`, for one bulk statement each. */
export function chunks<T>(items: readonly T[], size = bulkChunk): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The dialect behind a Kysely instance or transaction, for callers not told it. */
export function dialectOf(db: Kysely<DB>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** `rows` as a FROM item named `alias`, with one column per key of `columns`. */
export function bulkRows<C extends string>(
  dialect: DialectName,
  alias: string,
  columns: Readonly<Record<C, BulkColumnType>>,
  rows: readonly Readonly<Record<C, BulkValue>>[],
): RawBuilder<unknown> {
  const names = Object.keys(columns) as C[];
  if (dialect === 'postgres') {
    const arrays = names.map(
      (n) => sql`${rows.map((r) => r[n])}::${sql.raw(postgresTypes[columns[n]])}`,
    );
    return sql`unnest(${sql.join(arrays)}) as ${sql.id(alias)}(${sql.join(names.map((n) => sql.id(n)))})`;
  }
  const json = JSON.stringify(rows.map((r) => names.map((n) => r[n])));
  const fields = names.map((n, i) => sql`value ->> ${sql.lit(`$[${i}]`)} as ${sql.id(n)}`);
  return sql`(select ${sql.join(fields)} from json_each(${json})) as ${sql.id(alias)}`;
}
