// The few column types that differ between the two databases, for migrations.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export interface ColumnTypes {
  readonly isPostgres: boolean;
  readonly id: 'bigserial' | 'integer';
  readonly timestamp: 'timestamptz' | 'text';
  readonly flag: 'boolean' | 'integer';
  readonly falseValue: ReturnType<typeof sql>;
}

export function columnTypes(db: Kysely<unknown>): ColumnTypes {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    isPostgres,
    id: isPostgres ? 'bigserial' : 'integer',
    timestamp: isPostgres ? 'timestamptz' : 'text',
    flag: isPostgres ? 'boolean' : 'integer',
    falseValue: isPostgres ? sql`false` : sql`0`,
  };
}
