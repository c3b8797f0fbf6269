// A key's usage by UTC day: the day a moment falls in, the last 30 days with
// a row for each, as the admin's view shows them, and today's checks as the
// start of a day's allowance counted in memory.
import type { Executor } from '../db/database.ts';
import type { AllowanceLimiter } from '../shared/rate-limiter.ts';
import { checksOn, type UsageDay } from './partners.repository.ts';

/** Days of usage an admin sees. */
export const usageDays = 30;
export const dayMs = 86_400_000;

/** The UTC day of a moment, `YYYY-MM-DD`. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC day of a time, formatted once a day rather than on every keyed request. */
export class CurrentDay {
  #start = Number.NaN;
  #text = '';

  of(now: Date): string {
    const ms = now.getTime();
    if (!(ms >= this.#start && ms < this.#start + dayMs)) {
      this.#start = ms - (ms % dayMs);
      this.#text = dayOf(now);
    }
    return this.#text;
  }
}

/** The last 30 days ending today, oldest first, with zeros for days nothing was counted. */
export function everyDay(counted: readonly UsageDay[], now: Date): UsageDay[] {
  const byDay = new Map(counted.map((u) => [u.day, u]));
  const days: UsageDay[] = [];
  for (let back = usageDays - 1; back >= 0; back--) {
    const day = dayOf(new Date(now.getTime() - back * dayMs));
    days.push(byDay.get(day) ?? { day, requests: 0, checks: 0, reports: 0, refusals: 0 });
  }
  return days;
}

/**
 * A day's allowance counted in memory starts from what each key already
 * checked today, as flushed before a restart: a restart does not hand a key a
 * fresh day. (Counted in Redis, the allowance outlives the process anyway.)
 */
export async function seedDayAllowances(
  day: AllowanceLimiter,
  db: Executor,
  now: Date,
): Promise<void> {
  if (!day.seed) return;
  for (const used of await checksOn(db, dayOf(now))) day.seed(String(used.keyId), used.checks);
}
