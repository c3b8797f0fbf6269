// Personal values are sealed from now on (shared/personal-data.ts), so the
// account summary can no longer copy a seller's name: registrations keep the
// masked name the check shows beside the sealed one. Existing rows are sealed
// and masked at the server's next start (sealClearPersonalData): a migration
// does not know the key.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('seller_registrations')
    .addColumn('holder_name_masked', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('seller_registrations').dropColumn('holder_name_masked').execute();
}
