// Partners and their API keys: the admin's use cases (each change in one
// transaction with its audit entry) and the keyed requests' authentication.
//
// A key is checked against memory, not the database: every process holds the
// live keys' hashes and is told of every change (key-feed.ts), so a revoked
// key fails everywhere at once. While a process cannot hear changes it reads
// the database instead. Usage is counted in memory and added to the database
// in batches (flushUsage), so a keyed request writes nothing itself.
import type { Database, Executor } from '../db/database.ts';
import type { ActorType } from '../audit/audit.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { PartnerKind } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import {
  MemoryAllowanceLimiter,
  type AllowanceLimiter,
  type Verdict,
} from '../shared/rate-limiter.ts';
import {
  generateKey,
  hashKey,
  isWellFormedKey,
  sameHash,
  shownKey,
  type Scope,
} from './api-key.ts';
import { syncProviderWatches } from '../watches/watches.service.ts';
import type { KeyChangeListener } from './key-feed.ts';
import { ProvenKeys } from './proven-keys.ts';
import { UsageMeter, type KeyUseCounts } from './usage-meter.ts';
import { dayMs, dayOf, everyDay, seedDayAllowances, usageDays } from './usage-days.ts';
import {
  newKeySchema,
  newPartnerSchema,
  parseInput,
  partnerSettingsSchema,
  rollSchema,
  type NewKeyInput,
  type NewPartnerInput,
  type PartnerSettingsInput,
  type RollInput,
} from './partner-input.ts';
import {
  allPartners,
  announceKeyChange,
  findKey,
  findLiveKeyByHash,
  findPartner,
  insertKey,
  insertPartner,
  keysOf,
  liveKeys,
  revokeKeyRow,
  setKeyExpiry,
  updatePartner,
  usageByDay,
  usageOfKeyOn,
  type KeyRecord,
  type NewKey,
  type PartnerRecord,
  type UsageDay,
} from './partners.repository.ts';

export type { Scope } from './api-key.ts';
export { scopes } from './api-key.ts';
export { partnerKinds } from './partner-input.ts';
export type { PartnerRecord as Partner, UsageDay } from './partners.repository.ts';

/** Who acts on partners: an operator in the back office or someone at the command line. */
export interface PartnerActor {
  readonly type: ActorType;
  readonly id: number | null;
  readonly label: string;
  readonly ip?: string | null | undefined;
}

/** A key as anyone may see it: never the key itself, nor its hash. */
export interface PartnerKey {
  readonly id: number;
  readonly partnerId: number;
  readonly label: string;
  readonly shown: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly rolledFrom: number | null;
  /** Neither revoked nor expired. */
  readonly active: boolean;
}

/** A key just made: the only value that holds the key in the clear. */
export interface IssuedKey {
  readonly key: PartnerKey;
  readonly secret: string;
}

export interface PartnerDetails {
  readonly partner: PartnerRecord;
  readonly keys: readonly PartnerKey[];
  /** The last 30 days, oldest first, every day present (zeros where nothing happened). */
  readonly usage: readonly UsageDay[];
}

/** Who is calling with a key: what a keyed route may know. */
export interface KeyPrincipal {
  readonly keyId: number;
  /** The key's name in the limiters' counts (its id as text, made once). */
  readonly limitKey: string;
  readonly label: string;
  readonly shown: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly partner: {
    readonly id: number;
    readonly name: string;
    readonly kind: PartnerKind;
    readonly providerCodes: readonly string[];
  };
  readonly limits: { readonly perMinute: number; readonly perDay: number };
}

export interface PartnersDeps {
  readonly database: Database;
  readonly audit: AuditService;
  readonly clock: Clock;
  /** HMAC key for key hashes, derived from CEKREK_SECRET_KEY for this purpose only. */
  readonly hashingKey: Buffer;
  /**
   * Requests per key per minute, accounts checked per key per UTC day
   * (server/limiters.ts, shared with REDIS_URL); in memory when not given.
   */
  readonly keyLimits?: { readonly minute: AllowanceLimiter; readonly day: AllowanceLimiter };
}

/** Compared against when no key matches, so an unknown key costs what a known one does. */
const decoyHash = '0'.repeat(64);

function isActive(key: KeyRecord, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now);
}

function toPrincipal(key: KeyRecord, partner: PartnerRecord): KeyPrincipal {
  return {
    keyId: key.id,
    limitKey: String(key.id),
    label: key.label,
    shown: key.shown,
    scopes: key.scopes,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    partner: {
      id: partner.id,
      name: partner.name,
      kind: partner.kind,
      providerCodes: partner.providerCodes,
    },
    limits: { perMinute: partner.perMinute, perDay: partner.perDay },
  };
}

export class PartnersService implements KeyChangeListener {
  readonly #database: Database;
  readonly #audit: AuditService;
  readonly #clock: Clock;
  readonly #hashingKey: Buffer;
  /** Key hash → the key's principal, for keys not revoked (expiry is checked on use). */
  #keys = new Map<string, KeyPrincipal & { readonly keyHash: string }>();
  #trustMemory = false;
  readonly #proven = new ProvenKeys<KeyPrincipal>();
  readonly #usage: UsageMeter;
  #reloadsStarted = 0;
  #reloadApplied = 0;
  readonly #limits: NonNullable<PartnersDeps['keyLimits']>;

  constructor(deps: PartnersDeps) {
    this.#database = deps.database;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#hashingKey = deps.hashingKey;
    this.#usage = new UsageMeter(deps.database, deps.clock);
    this.#limits = deps.keyLimits ?? {
      minute: new MemoryAllowanceLimiter({ windowMs: 60_000 }),
      day: new MemoryAllowanceLimiter({ windowMs: dayMs, aligned: true }),
    };
  }

  // -- the admin's use cases ------------------------------------------------

  async createPartner(input: NewPartnerInput, actor: PartnerActor): Promise<PartnerRecord> {
    const partner = parseInput(newPartnerSchema, input);
    const now = this.#clock.now();
    const id = await this.#database.db.transaction().execute(async (trx) => {
      const newId = await insertPartner(trx, partner, now);
      await this.#audit.record(trx, {
        actor,
        action: 'partner.created',
        subject: { type: 'partner', id: String(newId) },
        ip: actor.ip,
        details: {
          name: partner.name,
          kind: partner.kind,
          perMinute: partner.perMinute,
          perDay: partner.perDay,
          providerCodes: partner.providerCodes,
        },
      });
      return newId;
    });
    return this.#partner(id);
  }

  async updatePartner(
    partnerId: number,
    input: PartnerSettingsInput,
    actor: PartnerActor,
  ): Promise<PartnerRecord> {
    const changes = parseInput(partnerSettingsSchema, input);
    const current = await this.#partner(partnerId);
    const settings = {
      name: changes.name ?? current.name,
      contactEmail: changes.contactEmail ?? current.contactEmail,
      perMinute: changes.perMinute ?? current.perMinute,
      perDay: changes.perDay ?? current.perDay,
      providerCodes: changes.providerCodes ?? current.providerCodes,
    };
    await this.#database.db.transaction().execute(async (trx) => {
      await updatePartner(trx, partnerId, settings, this.#clock.now());
      await syncProviderWatches(trx, partnerId, settings.providerCodes, this.#clock.now());
      // Keys carry their partner's limits and codes: other processes reload them.
      await announceKeyChange(trx, this.#database.dialect);
      await this.#audit.record(trx, {
        actor,
        action: 'partner.updated',
        subject: { type: 'partner', id: String(partnerId) },
        ip: actor.ip,
        details: {
          name: settings.name,
          perMinute: settings.perMinute,
          perDay: settings.perDay,
          providerCodes: settings.providerCodes,
        },
      });
    });
    await this.reload();
    return this.#partner(partnerId);
  }

  listPartners(): Promise<PartnerRecord[]> {
    return allPartners(this.#database.db);
  }

  async partnerDetails(partnerId: number): Promise<PartnerDetails> {
    const partner = await this.#partner(partnerId);
    await this.flushUsage();
    const now = this.#clock.now();
    const keys = (await keysOf(this.#database.db, partnerId)).map((k) => this.#toKey(k, now));
    const firstDay = dayOf(new Date(now.getTime() - (usageDays - 1) * dayMs));
    const counted = await usageByDay(this.#database.db, partnerId, firstDay);
    return { partner, keys, usage: everyDay(counted, now) };
  }

  async issueKey(partnerId: number, input: NewKeyInput, actor: PartnerActor): Promise<IssuedKey> {
    const request = parseInput(newKeySchema, input);
    const now = this.#clock.now();
    if (request.expiresAt && request.expiresAt <= now) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'expiresAt', reason: 'partner.expiry_past' }],
      });
    }
    await this.#partner(partnerId);
    const secret = generateKey();
    const id = await this.#database.db.transaction().execute(async (trx) => {
      const keyId = await this.#insertKey(trx, partnerId, secret, {
        label: request.label,
        scopes: request.scopes,
        expiresAt: request.expiresAt ?? null,
        rolledFrom: null,
      });
      await this.#audit.record(trx, {
        actor,
        action: 'partner.key_issued',
        subject: { type: 'partner', id: String(partnerId) },
        ip: actor.ip,
        details: {
          keyId,
          label: request.label,
          shown: shownKey(secret),
          scopes: request.scopes,
          expiresAt: request.expiresAt?.toISOString() ?? null,
        },
      });
      return keyId;
    });
    await this.reload();
    return { key: await this.#key(partnerId, id), secret };
  }

  /** A new key with the same label and scopes; the old one works `expireOldInSeconds` more. */
  async rollKey(
    partnerId: number,
    keyId: number,
    input: RollInput,
    actor: PartnerActor,
  ): Promise<IssuedKey> {
    const { expireOldInSeconds } = parseInput(rollSchema, input);
    const now = this.#clock.now();
    const old = await findKey(this.#database.db, partnerId, keyId);
    if (!old) throw new AppError('not_found');
    if (!isActive(old, now)) throw new AppError('already_decided', { params: { variant: 'key' } });
    const overlapEnd = new Date(now.getTime() + expireOldInSeconds * 1000);
    const oldExpiry = old.expiresAt && old.expiresAt < overlapEnd ? old.expiresAt : overlapEnd;
    const secret = generateKey();
    const id = await this.#database.db.transaction().execute(async (trx) => {
      const newId = await this.#insertKey(trx, partnerId, secret, {
        label: old.label,
        scopes: old.scopes,
        expiresAt: old.expiresAt && old.expiresAt > overlapEnd ? old.expiresAt : null,
        rolledFrom: old.id,
      });
      await setKeyExpiry(trx, old.id, oldExpiry);
      await this.#audit.record(trx, {
        actor,
        action: 'partner.key_rolled',
        subject: { type: 'partner', id: String(partnerId) },
        ip: actor.ip,
        details: {
          keyId: newId,
          shown: shownKey(secret),
          rolledFrom: old.id,
          oldExpiresAt: oldExpiry.toISOString(),
        },
      });
      return newId;
    });
    await this.reload();
    return { key: await this.#key(partnerId, id), secret };
  }

  /** The key fails at once here, and on every other process as soon as it hears. */
  async revokeKey(partnerId: number, keyId: number, actor: PartnerActor): Promise<void> {
    const key = await findKey(this.#database.db, partnerId, keyId);
    if (!key) throw new AppError('not_found');
    if (key.revokedAt !== null) return;
    await this.#database.db.transaction().execute(async (trx) => {
      await revokeKeyRow(trx, keyId, this.#clock.now());
      await announceKeyChange(trx, this.#database.dialect);
      await this.#audit.record(trx, {
        actor,
        action: 'partner.key_revoked',
        subject: { type: 'partner', id: String(partnerId) },
        ip: actor.ip,
        details: { keyId, shown: key.shown, label: key.label },
      });
    });
    this.#forget(keyId);
    await this.reload();
  }

  // -- keyed requests -------------------------------------------------------

  /**
   * The principal of a bearer key, or null for a key that is malformed,
   * unknown, revoked or expired: every one of them after the same work (one
   * HMAC, one map lookup, one constant-time comparison).
   */
  async authenticate(bearer: string | undefined): Promise<KeyPrincipal | null> {
    const text = bearer ?? '';
    const keyHash = hashKey(text, this.#hashingKey);
    const found = this.#trustMemory ? this.#keys.get(keyHash) : await this.#fromDatabase(keyHash);
    return this.#admitted(text, keyHash, found);
  }

  /**
   * authenticate without a turn of the event loop, for the check's fast path:
   * undefined when memory is not trusted now (the feed is down): go the slow way.
   */
  authenticateFromMemory(bearer: string | undefined): KeyPrincipal | null | undefined {
    const principal = this.knownKeyFromMemory(bearer);
    return principal ? this.#used(principal) : principal;
  }

  /**
   * authenticateFromMemory without counting the request: for a caller that
   * counts it with the rest of what the request did (recordUse), once.
   */
  knownKeyFromMemory(bearer: string | undefined): KeyPrincipal | null | undefined {
    if (!this.#trustMemory) return undefined;
    const text = bearer ?? '';
    const proven = this.#proven.get(text);
    if (proven) return this.#live(proven) ? proven : null;
    const keyHash = hashKey(text, this.#hashingKey);
    const principal = this.#matched(text, keyHash, this.#keys.get(keyHash));
    if (principal) this.#proven.remember(text, principal);
    return principal;
  }

  /**
   * Changes whenever what memory knows of the keys does (a reload, a
   * revocation, an interruption of the feed): a principal proven under an
   * earlier generation must be proven again.
   */
  get keysGeneration(): number {
    return this.#proven.generation;
  }

  /** Whether a principal proven earlier is still within its expiry. */
  isLive(principal: KeyPrincipal): boolean {
    return this.#live(principal);
  }

  /** Counts one request against the key's `perMinute`; refused ones count nothing. */
  admitRequest(principal: KeyPrincipal): Verdict | Promise<Verdict> {
    return this.#limits.minute.take(principal.limitKey, principal.limits.perMinute, 1);
  }

  /**
   * Counts `accounts` against the key's `perDay` (the UTC day) before they
   * are read, and in its usage; when they do not all fit, none is counted.
   */
  admitChecks(principal: KeyPrincipal, accounts: number): Verdict | Promise<Verdict> {
    const counted = (verdict: Verdict) => {
      this.recordUse(principal, verdict.allowed ? { checks: accounts } : { refusals: 1 });
      return verdict;
    };
    const verdict = this.takeChecks(principal, accounts);
    return verdict instanceof Promise ? verdict.then(counted) : counted(verdict);
  }

  /** admitChecks without counting the usage: for a caller that counts it with the rest, once. */
  takeChecks(principal: KeyPrincipal, accounts: number): Verdict | Promise<Verdict> {
    return this.#limits.day.take(principal.limitKey, principal.limits.perDay, accounts);
  }

  /** The same work for every bearer (one HMAC, one lookup, one constant-time comparison). */
  #admitted(
    text: string,
    keyHash: string,
    found: (KeyPrincipal & { readonly keyHash: string }) | undefined,
  ): KeyPrincipal | null {
    const principal = this.#matched(text, keyHash, found);
    return principal ? this.#used(principal) : null;
  }

  #matched(
    text: string,
    keyHash: string,
    found: (KeyPrincipal & { readonly keyHash: string }) | undefined,
  ): KeyPrincipal | null {
    const wellFormed = isWellFormedKey(text);
    const matches = sameHash(keyHash, found?.keyHash ?? decoyHash);
    const live = found !== undefined && this.#live(found);
    return wellFormed && matches && live ? found : null;
  }

  #live(key: KeyPrincipal): boolean {
    return key.expiresAt === null || key.expiresAt > this.#clock.now();
  }

  #used(principal: KeyPrincipal): KeyPrincipal {
    this.recordUse(principal, { requests: 1 });
    return principal;
  }

  /** Counts what a keyed request did; the counts reach the database at the next flush. */
  recordUse(principal: KeyPrincipal, counts: KeyUseCounts): void {
    this.#usage.record(principal.keyId, principal.partner.id, counts);
  }

  /** The key's usage today, counted so far by every process (this one's unflushed counts included). */
  async usageToday(principal: KeyPrincipal): Promise<UsageDay> {
    await this.flushUsage();
    return usageOfKeyOn(this.#database.db, principal.keyId, dayOf(this.#clock.now()));
  }

  /** Adds the counted usage to the database (main.ts calls it on a timer and at close). */
  flushUsage(): Promise<void> {
    return this.#usage.flush();
  }

  // -- memory, kept current by the key feed ---------------------------------

  /**
   * Reads every live key again. Reloads may overlap (a notification while a
   * change reloads): only a read that started later than the one in memory
   * replaces it, since an earlier read may predate a commit.
   */
  async reload(): Promise<void> {
    const started = ++this.#reloadsStarted;
    const [keys, partners] = await Promise.all([
      liveKeys(this.#database.db),
      allPartners(this.#database.db),
    ]);
    if (started < this.#reloadApplied) return;
    this.#reloadApplied = started;
    const byId = new Map(partners.map((p) => [p.id, p]));
    const fresh = new Map<string, KeyPrincipal & { keyHash: string }>();
    for (const key of keys) {
      const partner = byId.get(key.partnerId);
      if (partner) fresh.set(key.keyHash, { ...toPrincipal(key, partner), keyHash: key.keyHash });
    }
    this.#keys = fresh;
    this.#proven.clear();
  }

  interrupted(): void {
    this.#trustMemory = false;
    this.#proven.clear();
  }

  resumed(): void {
    this.#trustMemory = true;
  }

  /** Loads the keys and trusts memory from now on (the feed must be started first). */
  async warm(): Promise<void> {
    await this.reload();
    await seedDayAllowances(this.#limits.day, this.#database.db, this.#clock.now());
    this.#trustMemory = true;
  }

  // -- helpers --------------------------------------------------------------

  async #fromDatabase(keyHash: string): Promise<(KeyPrincipal & { keyHash: string }) | undefined> {
    const key = await findLiveKeyByHash(this.#database.db, keyHash);
    const partner = key ? await findPartner(this.#database.db, key.partnerId) : undefined;
    return key && partner ? { ...toPrincipal(key, partner), keyHash: key.keyHash } : undefined;
  }

  #forget(keyId: number): void {
    for (const [hash, principal] of this.#keys) {
      if (principal.keyId === keyId) this.#keys.delete(hash);
    }
    this.#proven.clear();
  }

  async #insertKey(
    trx: Executor,
    partnerId: number,
    secret: string,
    key: Pick<NewKey, 'label' | 'scopes' | 'expiresAt' | 'rolledFrom'>,
  ): Promise<number> {
    const keyHash = hashKey(secret, this.#hashingKey);
    const id = await insertKey(
      trx,
      { partnerId, keyHash, shown: shownKey(secret), ...key },
      this.#clock.now(),
    );
    await announceKeyChange(trx, this.#database.dialect);
    return id;
  }

  async #partner(id: number): Promise<PartnerRecord> {
    const partner = await findPartner(this.#database.db, id);
    if (!partner) throw new AppError('not_found');
    return partner;
  }

  async #key(partnerId: number, keyId: number): Promise<PartnerKey> {
    const key = await findKey(this.#database.db, partnerId, keyId);
    if (!key) throw new AppError('not_found');
    return this.#toKey(key, this.#clock.now());
  }

  #toKey(key: KeyRecord, now: Date): PartnerKey {
    return {
      id: key.id,
      partnerId: key.partnerId,
      label: key.label,
      shown: key.shown,
      scopes: key.scopes,
      createdAt: key.createdAt,
      expiresAt: key.expiresAt,
      revokedAt: key.revokedAt,
      lastUsedAt: key.lastUsedAt,
      rolledFrom: key.rolledFrom,
      active: isActive(key, now),
    };
  }
}
