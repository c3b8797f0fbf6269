// A ticket remembers, as a keyed hash, the e-mail address given with its
// submission: someone who lost the tracking code can have a fresh one sent
// there, without the tickets table holding the address itself.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('contact_hash', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('contact_hash').execute();
}
