// Seals the personal values that rows written before sealing began still hold
// in clear, masks the sellers' names in the account summaries, seals queued
// mail and empties finished jobs. Runs once, at the server's start (a
// migration cannot do it: it does not know the key), and is marked done in
// `meta`; a database created by this code is marked at creation (migrate.ts). SQLite zeroes what it frees (secure_delete, database.ts), and the
// WAL is checkpointed and truncated afterwards, so the clear values do not
// linger in free pages or in the log.
import { sql } from 'kysely';
import { maskName } from './accounts/check.ts';
import { mailMessageSchema, sealMail } from './mail/mail.jobs.ts';
import { isSealedPersonal, sealPersonal } from './shared/personal-data.ts';
import type { SecretBox } from './shared/secret-box.ts';
import type { Database } from './db/database.ts';
import { personalDataSealedMarker } from './db/migrate.ts';

/** Every column that holds what a person typed about themselves or someone else. */
export const personalColumns = {
  reports: [
    'holder_name',
    'reported_phone',
    'reported_socials',
    'reported_website',
    'location_details',
    'chronology',
  ],
  seller_registrations: ['holder_name'],
  normalization_requests: ['holder_name', 'statement'],
  information_requests: ['question', 'answer'],
  ticket_events: ['note'],
  files: ['original_name'],
} as const;

type PersonalTable = keyof typeof personalColumns;

const doneMarker = personalDataSealedMarker;

async function alreadySealed(database: Database): Promise<boolean> {
  const row = await database.db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', doneMarker)
    .executeTakeFirst();
  return row !== undefined;
}

/** The masked name a registration shows, from its name while still in clear. */
async function maskSellerNames(database: Database): Promise<number> {
  const rows = await database.db
    .selectFrom('seller_registrations')
    .select(['id', 'holder_name'])
    .where('holder_name_masked', 'is', null)
    .execute();
  let changed = 0;
  for (const row of rows) {
    if (isSealedPersonal(row.holder_name)) continue;
    await database.db
      .updateTable('seller_registrations')
      .set({ holder_name_masked: maskName(row.holder_name) })
      .where('id', '=', row.id)
      .execute();
    changed++;
  }
  const accounts = await database.db
    .selectFrom('accounts')
    .select(['id', 'seller_holder_name'])
    .where('seller_holder_name', 'is not', null)
    .execute();
  for (const account of accounts) {
    const masked = maskName(account.seller_holder_name ?? '');
    if (masked === account.seller_holder_name) continue;
    await database.db
      .updateTable('accounts')
      .set({ seller_holder_name: masked })
      .where('id', '=', account.id)
      .execute();
    changed++;
  }
  return changed;
}

const pageSize = 1000;

/** One page of rows after `after` (by id), sealed in one transaction; the last id, or undefined at the end. */
async function sealPage(
  database: Database,
  box: SecretBox,
  table: PersonalTable,
  after: unknown,
): Promise<{ last: unknown; changed: number } | undefined> {
  const columns = personalColumns[table];
  // Kysely cannot type a table chosen at run time; the names come from the list above.
  const rows = await sql<Record<string, unknown>>`select id, ${sql.join(
    columns.map((c) => sql.ref(c)),
  )} from ${sql.table(table)}
    ${after === undefined ? sql`` : sql`where id > ${after}`}
    order by id limit ${pageSize}`.execute(database.db);
  if (rows.rows.length === 0) return undefined;
  let changed = 0;
  await database.db.transaction().execute(async (trx) => {
    for (const row of rows.rows) {
      const sets = columns
        .filter((c) => typeof row[c] === 'string' && !isSealedPersonal(row[c]))
        .map((c) => sql`${sql.ref(c)} = ${sealPersonal(box, row[c] as string)}`);
      if (sets.length === 0) continue;
      await sql`update ${sql.table(table)} set ${sql.join(sets)} where id = ${row.id}`.execute(trx);
      changed++;
    }
  });
  return { last: rows.rows.at(-1)?.id, changed };
}

async function sealTable(database: Database, box: SecretBox, table: PersonalTable) {
  let changed = 0;
  let after: unknown;
  for (;;) {
    const page = await sealPage(database, box, table, after);
    if (!page) return changed;
    changed += page.changed;
    after = page.last;
  }
}

function parsedOrUndefined(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

async function sealQueuedMail(database: Database, box: SecretBox): Promise<number> {
  const jobs = await database.db
    .selectFrom('jobs')
    .select(['id', 'payload', 'done_at', 'failed_at'])
    .where('kind', '=', 'mail.send')
    .execute();
  let changed = 0;
  for (const job of jobs) {
    const finished = job.done_at !== null || job.failed_at !== null;
    const message = mailMessageSchema.safeParse(parsedOrUndefined(job.payload));
    if (!finished && !message.success) continue;
    const payload = finished ? '{}' : JSON.stringify(sealMail(box, message.data!));
    if (payload === job.payload) continue;
    await database.db.updateTable('jobs').set({ payload }).where('id', '=', job.id).execute();
    changed++;
  }
  return changed;
}

/** Seals what is still in clear; the number of rows changed (0 once done). */
export async function sealClearPersonalData(database: Database, box: SecretBox): Promise<number> {
  if (await alreadySealed(database)) return 0;
  let changed = await maskSellerNames(database);
  for (const table of Object.keys(personalColumns) as PersonalTable[]) {
    changed += await sealTable(database, box, table);
  }
  changed += await sealQueuedMail(database, box);
  await database.db
    .insertInto('meta')
    .values({ key: doneMarker, value: new Date().toISOString() })
    .onConflict((c) => c.column('key').doNothing())
    .execute();
  if (database.dialect === 'sqlite') database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return changed;
}
