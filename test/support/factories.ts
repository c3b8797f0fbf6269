// Test data written through the repositories, as a later feature would.
import { toAccountRef } from '../../src/shared/account-number.ts';
import { ensureAccounts, refreshSummaries } from '../../src/accounts/accounts.repository.ts';
import type { Database } from '../../src/db/database.ts';
import type { ReportStatus } from '../../src/db/schema.ts';
import type { Actor } from '../../src/operators/operators.service.ts';
import { insertOperator } from '../../src/operators/operators.repository.ts';
import type { Role } from '../../src/operators/policy.ts';

export interface ReportSeed {
  provider: string;
  number: string;
  category?: string;
  status?: ReportStatus;
  reportedAt?: string;
  source?: 'public' | 'import';
  sourceId?: string;
  holderName?: string;
}

/** Inserts reports and refreshes the accounts' summaries; returns the changed keys. */
export async function seedReports(
  database: Database,
  seeds: readonly ReportSeed[],
): Promise<string[]> {
  const now = new Date();
  return database.db.transaction().execute(async (trx) => {
    const refs = seeds.map((s) => toAccountRef(s.provider, s.number));
    const ids = await ensureAccounts(trx, refs, now);
    for (const [i, seed] of seeds.entries()) {
      const at = new Date(seed.reportedAt ?? '2026-01-15T08:00:00Z');
      await trx
        .insertInto('reports')
        .values({
          account_id: ids.get(refs[i]!.key)!,
          status: seed.status ?? 'verified',
          category: seed.category ?? 'online_shopping_fraud',
          source: seed.source ?? 'public',
          source_id: seed.sourceId ?? null,
          holder_name: seed.holderName ?? null,
          reported_at: at,
          verified_at: seed.status === 'verified' || !seed.status ? at : null,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
    return refreshSummaries(trx, database.dialect, [...ids.values()], now);
  });
}

/** Opens a pending normalization request on an account (the dispute mark). */
export async function seedDispute(
  database: Database,
  provider: string,
  number: string,
  since: string,
) {
  const now = new Date();
  return database.db.transaction().execute(async (trx) => {
    const ref = toAccountRef(provider, number);
    const ids = await ensureAccounts(trx, [ref], now);
    const accountId = ids.get(ref.key)!;
    await trx
      .insertInto('normalization_requests')
      .values({
        account_id: accountId,
        status: 'submitted',
        channel: 'online',
        created_at: new Date(since),
        updated_at: new Date(since),
      })
      .execute();
    return refreshSummaries(trx, database.dialect, [accountId], now);
  });
}

export type OperatorActor = Actor & { readonly id: number };

/**
 * An operator row with its roles, and the actor a service is called as. No
 * password hash is computed: tests that sign in create operators through
 * OperatorsService instead.
 */
export async function seedOperator(
  database: Database,
  email: string,
  roles: readonly Role[],
): Promise<OperatorActor> {
  const id = await insertOperator(
    database.db,
    { email, passwordHash: 'not a hash: never signs in', mustChangePassword: false, roles },
    new Date(),
  );
  return { type: 'operator', id, label: email, ip: '127.0.0.1' };
}

/** A partner row as an admin would create it, for suites that need one without the service. */
export async function seedPartner(
  database: Database,
  now: Date,
  kind: 'bank' | 'police' = 'bank',
): Promise<number> {
  const row = await database.db
    .insertInto('partners')
    .values({
      name: kind === 'bank' ? 'Bank Contoh' : 'Polda Contoh',
      kind,
      contact_email: `api@${kind}.test`,
      per_minute: 600,
      per_day: 100_000,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
