// A keyed request's usage, counted in memory and added to the database in
// batches: a keyed request writes nothing itself. The counts of a flush that
// fails are kept for the next one rather than lost.
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { addKeyUse, type KeyUse } from './partners.repository.ts';
import { CurrentDay } from './usage-days.ts';

/** What a keyed request did, for the partner's usage (metering adds checks and reports). */
export interface KeyUseCounts {
  readonly requests?: number;
  readonly checks?: number;
  readonly reports?: number;
  readonly refusals?: number;
}

type PendingUse = { -readonly [K in keyof KeyUse]: KeyUse[K] };

export class UsageMeter {
  readonly #database: Database;
  readonly #clock: Clock;
  /** `keyId:day` → the counts waiting for the flush. */
  #pending = new Map<string, PendingUse>();
  /** Each key's entry of #pending counted last: found again without building its slot's name. */
  readonly #latest = new Map<number, PendingUse>();
  readonly #today = new CurrentDay();

  constructor(database: Database, clock: Clock) {
    this.#database = database;
    this.#clock = clock;
  }

  record(keyId: number, partnerId: number, counts: KeyUseCounts): void {
    const now = this.#clock.now();
    const day = this.#today.of(now);
    const latest = this.#latest.get(keyId);
    const pending = latest?.day === day ? latest : this.#pendingOn(keyId, partnerId, day, now);
    pending.lastUsedAt = now;
    pending.requests += counts.requests ?? 0;
    pending.checks += counts.checks ?? 0;
    pending.reports += counts.reports ?? 0;
    pending.refusals += counts.refusals ?? 0;
  }

  /** Adds the counted usage to the database. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    this.#latest.clear();
    try {
      await this.#database.db.transaction().execute(async (trx) => {
        for (const use of batch) await addKeyUse(trx, use);
      });
    } catch (error) {
      for (const use of batch) this.#restore(use);
      throw error;
    }
  }

  /** The key's counts of a day waiting for the flush (new ones at zero), remembered as its latest. */
  #pendingOn(keyId: number, partnerId: number, day: string, now: Date): PendingUse {
    const slot = `${keyId}:${day}`;
    let pending = this.#pending.get(slot);
    if (!pending) {
      pending = {
        keyId,
        partnerId,
        day,
        lastUsedAt: now,
        requests: 0,
        checks: 0,
        reports: 0,
        refusals: 0,
      };
      this.#pending.set(slot, pending);
    }
    this.#latest.set(keyId, pending);
    return pending;
  }

  #restore(use: PendingUse): void {
    const slot = `${use.keyId}:${use.day}`;
    const pending = this.#pending.get(slot);
    if (!pending) {
      this.#pending.set(slot, use);
      return;
    }
    pending.requests += use.requests;
    pending.checks += use.checks;
    pending.reports += use.reports;
    pending.refusals += use.refusals;
  }
}
