// Column values as both databases hand them back: PostgreSQL's bigint and
// numeric columns come as strings, SQLite's as numbers; lists are kept as
// JSON text in one column.

/** A nullable id or count as a number; null stays null. */
export function optionalNumber(value: number | string | bigint | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A JSON array of strings kept in a text column (flag reasons, file ids); empty when none. */
export function parseStringList(value: string | null): string[] {
  if (!value) return [];
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

/** The account a row belongs to: its account_id and the joined account's columns. */
export function joinedAccount(r: {
  readonly account_id: number | string;
  readonly provider: string;
  readonly number: string;
  readonly key: string;
}) {
  return {
    accountId: Number(r.account_id),
    provider: r.provider,
    number: r.number,
    accountKey: r.key,
  };
}
