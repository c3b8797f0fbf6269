// The SQL of partners, their keys, their usage per day, and the revision
// that tells other processes the keys changed.
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';
import {
  toDate,
  toOptionalDate,
  type PartnerKeysTable,
  type PartnerKind,
  type PartnersTable,
} from '../db/schema.ts';
import { scopes as knownScopes, type Scope } from './api-key.ts';

/** The PostgreSQL channel a key change is announced on (the payload says nothing). */
export const partnerKeyChannel = 'cekrek_partner_keys_changed';
const revisionKey = 'partner_keys.revision';

export interface PartnerRecord {
  readonly id: number;
  readonly name: string;
  readonly kind: PartnerKind;
  readonly contactEmail: string;
  readonly perMinute: number;
  readonly perDay: number;
  readonly providerCodes: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface KeyRecord {
  readonly id: number;
  readonly partnerId: number;
  readonly label: string;
  readonly keyHash: string;
  readonly shown: string;
  readonly scopes: readonly Scope[];
  readonly rolledFrom: number | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

export interface UsageDay {
  readonly day: string;
  readonly requests: number;
  readonly checks: number;
  readonly reports: number;
  readonly refusals: number;
}

function parseList(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isScope(value: string): value is Scope {
  return (knownScopes as readonly string[]).includes(value);
}

function rowToPartner(row: Selectable<PartnersTable>): PartnerRecord {
  return {
    id: Number(row.id),
    name: row.name,
    kind: row.kind,
    contactEmail: row.contact_email,
    perMinute: Number(row.per_minute),
    perDay: Number(row.per_day),
    providerCodes: parseList(row.provider_codes),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function rowToKey(row: Selectable<PartnerKeysTable>): KeyRecord {
  return {
    id: Number(row.id),
    partnerId: Number(row.partner_id),
    label: row.label,
    keyHash: row.key_hash,
    shown: row.shown,
    scopes: parseList(row.scopes).filter(isScope),
    rolledFrom: row.rolled_from === null ? null : Number(row.rolled_from),
    createdAt: toDate(row.created_at),
    expiresAt: toOptionalDate(row.expires_at),
    revokedAt: toOptionalDate(row.revoked_at),
    lastUsedAt: toOptionalDate(row.last_used_at),
  };
}

export interface NewPartner {
  readonly name: string;
  readonly kind: PartnerKind;
  readonly contactEmail: string;
  readonly perMinute: number;
  readonly perDay: number;
  readonly providerCodes: readonly string[];
}

export async function insertPartner(db: Executor, partner: NewPartner, now: Date): Promise<number> {
  const row = await db
    .insertInto('partners')
    .values({
      name: partner.name,
      kind: partner.kind,
      contact_email: partner.contactEmail,
      per_minute: partner.perMinute,
      per_day: partner.perDay,
      provider_codes: JSON.stringify(partner.providerCodes),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export type PartnerSettings = Pick<
  NewPartner,
  'name' | 'contactEmail' | 'perMinute' | 'perDay' | 'providerCodes'
>;

export async function updatePartner(
  db: Executor,
  id: number,
  settings: PartnerSettings,
  now: Date,
): Promise<void> {
  await db
    .updateTable('partners')
    .set({
      name: settings.name,
      contact_email: settings.contactEmail,
      per_minute: settings.perMinute,
      per_day: settings.perDay,
      provider_codes: JSON.stringify(settings.providerCodes),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function findPartner(db: Executor, id: number): Promise<PartnerRecord | undefined> {
  const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToPartner(row) : undefined;
}

export async function allPartners(db: Executor): Promise<PartnerRecord[]> {
  const rows = await db.selectFrom('partners').selectAll().orderBy('name').orderBy('id').execute();
  return rows.map(rowToPartner);
}

export interface NewKey {
  readonly partnerId: number;
  readonly label: string;
  readonly keyHash: string;
  readonly shown: string;
  readonly scopes: readonly Scope[];
  readonly expiresAt: Date | null;
  readonly rolledFrom: number | null;
}

export async function insertKey(db: Executor, key: NewKey, now: Date): Promise<number> {
  const row = await db
    .insertInto('partner_keys')
    .values({
      partner_id: key.partnerId,
      label: key.label,
      key_hash: key.keyHash,
      shown: key.shown,
      scopes: JSON.stringify(key.scopes),
      rolled_from: key.rolledFrom,
      created_at: now,
      expires_at: key.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function findKey(
  db: Executor,
  partnerId: number,
  keyId: number,
): Promise<KeyRecord | undefined> {
  const row = await db
    .selectFrom('partner_keys')
    .selectAll()
    .where('id', '=', keyId)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  return row ? rowToKey(row) : undefined;
}

export async function keysOf(db: Executor, partnerId: number): Promise<KeyRecord[]> {
  const rows = await db
    .selectFrom('partner_keys')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(rowToKey);
}

/** Every key that may still work (not revoked; expiry is checked on use). */
export async function liveKeys(db: Executor): Promise<KeyRecord[]> {
  const rows = await db
    .selectFrom('partner_keys')
    .selectAll()
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map(rowToKey);
}

export async function findLiveKeyByHash(
  db: Executor,
  keyHash: string,
): Promise<KeyRecord | undefined> {
  const row = await db
    .selectFrom('partner_keys')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? rowToKey(row) : undefined;
}

export async function revokeKeyRow(db: Executor, keyId: number, now: Date): Promise<void> {
  await db.updateTable('partner_keys').set({ revoked_at: now }).where('id', '=', keyId).execute();
}

export async function setKeyExpiry(db: Executor, keyId: number, expiresAt: Date): Promise<void> {
  await db
    .updateTable('partner_keys')
    .set({ expires_at: expiresAt })
    .where('id', '=', keyId)
    .execute();
}

/** Marks the keys changed for every process: a new revision, and on PostgreSQL a notification at commit. */
export async function announceKeyChange(
  db: Executor,
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  await db
    .updateTable('meta')
    .set({ value: sql<string>`cast(cast(value as integer) + 1 as text)` })
    .where('key', '=', revisionKey)
    .execute();
  if (dialect === 'postgres') await sql`select pg_notify(${partnerKeyChannel}, '')`.execute(db);
}

export async function keyRevision(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', revisionKey)
    .executeTakeFirst();
  return row?.value ?? '0';
}

export interface KeyUse {
  readonly keyId: number;
  readonly partnerId: number;
  readonly day: string;
  readonly lastUsedAt: Date;
  readonly requests: number;
  readonly checks: number;
  readonly reports: number;
  readonly refusals: number;
}

/** Adds what a key did since the last flush to its day, and moves its last use forward. */
export async function addKeyUse(db: Executor, use: KeyUse): Promise<void> {
  await db
    .insertInto('partner_usage')
    .values({
      key_id: use.keyId,
      partner_id: use.partnerId,
      day: use.day,
      requests: use.requests,
      checks: use.checks,
      reports: use.reports,
      refusals: use.refusals,
    })
    .onConflict((conflict) =>
      conflict.columns(['key_id', 'day']).doUpdateSet({
        requests: sql`partner_usage.requests + ${use.requests}`,
        checks: sql`partner_usage.checks + ${use.checks}`,
        reports: sql`partner_usage.reports + ${use.reports}`,
        refusals: sql`partner_usage.refusals + ${use.refusals}`,
      }),
    )
    .execute();
  await db
    .updateTable('partner_keys')
    .set({ last_used_at: use.lastUsedAt })
    .where('id', '=', use.keyId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', use.lastUsedAt)]))
    .execute();
}

/** The partner's usage per day from `fromDay` on (all its keys together), oldest first. */
export async function usageByDay(
  db: Executor,
  partnerId: number,
  fromDay: string,
): Promise<UsageDay[]> {
  const rows = await db
    .selectFrom('partner_usage')
    .select((eb) => [
      'day',
      eb.fn.sum<number>('requests').as('requests'),
      eb.fn.sum<number>('checks').as('checks'),
      eb.fn.sum<number>('reports').as('reports'),
      eb.fn.sum<number>('refusals').as('refusals'),
    ])
    .where('partner_id', '=', partnerId)
    .where('day', '>=', fromDay)
    .groupBy('day')
    .orderBy('day')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    requests: Number(r.requests),
    checks: Number(r.checks),
    reports: Number(r.reports),
    refusals: Number(r.refusals),
  }));
}

/** One key's usage on one day (zeros when nothing was counted). */
export async function usageOfKeyOn(db: Executor, keyId: number, day: string): Promise<UsageDay> {
  const row = await db
    .selectFrom('partner_usage')
    .select(['requests', 'checks', 'reports', 'refusals'])
    .where('key_id', '=', keyId)
    .where('day', '=', day)
    .executeTakeFirst();
  return {
    day,
    requests: Number(row?.requests ?? 0),
    checks: Number(row?.checks ?? 0),
    reports: Number(row?.reports ?? 0),
    refusals: Number(row?.refusals ?? 0),
  };
}

/** The accounts each key checked on one day, as flushed so far (keys with none left out). */
export async function checksOn(
  db: Executor,
  day: string,
): Promise<{ keyId: number; checks: number }[]> {
  const rows = await db
    .selectFrom('partner_usage')
    .select(['key_id', 'checks'])
    .where('day', '=', day)
    .where('checks', '>', 0)
    .execute();
  return rows.map((r) => ({ keyId: Number(r.key_id), checks: Number(r.checks) }));
}
