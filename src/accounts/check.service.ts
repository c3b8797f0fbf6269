// The check: the hot path of the whole system. In front of one prepared
// lookup sit a Bloom filter of listed accounts (most checks are for accounts
// nobody reported, answered without a query) and a bounded cache of listed
// ones. Every change to an account, in this process or another, removes it
// from the cache and adds it to the filter before the next check reads it.
//
// That holds while the change feed hears every change. Once it has not for
// `staleAfterMs`, memory may be wrong, and wrong in the dangerous direction
// for an account reported meanwhile: an answer that would say "clear" (or
// "normalized") from memory is refused (`unavailable`, 503) until the feed
// has caught up. Cached warnings (reported, disputed) are still answered: a
// change they missed can only make them milder, the safe direction.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import type { AccountRef } from '../shared/account-number.ts';
import {
  emptySummary,
  notCounting,
  statusOf,
  type AccountSummary,
  type CheckBucket,
  type CheckCounter,
  type CheckResult,
} from './check.ts';
import { KeyFilter } from './key-filter.ts';
import type { ChangeListener } from './change-feed.ts';
import { describeUnavailable, unavailableError } from '../db/unavailable.ts';

export interface CheckAnswer {
  readonly result: CheckResult;
  /** The result as the API sends it, serialized once and kept with the cached entry. */
  readonly json: string;
}

export interface CheckSource {
  /** The summary of a listed account, or undefined: the prepared lookup. */
  lookup(key: string): AccountSummary | undefined | Promise<AccountSummary | undefined>;
  /** The summaries of those of the keys that are listed, in one read. */
  lookupMany(keys: readonly string[]): Promise<ReadonlyMap<string, AccountSummary>>;
  /** Every listed key, for the filter. */
  listedKeys(): AsyncIterable<string>;
  countListed(): Promise<number>;
}

interface CheckLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface CheckServiceOptions {
  readonly cacheSize?: number;
  readonly serialize: (result: CheckResult, checked: CheckBucket) => string;
  /** How long memory is trusted after the change feed stopped hearing (CHECK_STALE_AFTER_MS). */
  readonly staleAfterMs?: number;
  readonly log?: CheckLogger;
}

/** Whether the feed hears, and since when it has not. */
export interface CheckFreshness {
  /** When the feed stopped hearing changes; null while it hears them. */
  readonly interruptedSince: Date | null;
  /** False once memory is no longer trusted: "clear" is refused. */
  readonly trusted: boolean;
}

/** The counter the answers read their bucket from: set once the statistics are wired. */
interface Counting {
  counter: CheckCounter;
}

class Answer implements CheckAnswer {
  #json: string | undefined;
  #checked: CheckBucket = 'none';
  constructor(
    readonly result: CheckResult,
    private readonly serialize: (result: CheckResult, checked: CheckBucket) => string,
    private readonly counting: Counting,
  ) {}
  /** Reported or disputed: an answer that can be stale only in the safe direction. */
  get warns(): boolean {
    return this.result.status === 'reported' || this.result.status === 'disputed';
  }
  /**
   * Serialized once per bucket: a cached answer is serialized again only when
   * its account moves to another bucket, which happens a few times a month.
   */
  get json(): string {
    const checked = this.counting.counter.bucket(this.result.account.key);
    if (this.#json === undefined || checked !== this.#checked) {
      this.#checked = checked;
      this.#json = this.serialize(this.result, checked);
    }
    return this.#json;
  }
}

const defaultStaleAfterMs = 5000;
/**
 * Answers kept for listed accounts: 1.7 KB each (the result and its JSON,
 * measured in a heap snapshot), so some 17 MB when full, whatever the number
 * of listed accounts.
 */
const defaultCacheSize = 10_000;
/** Keys added to a filter being built between two turns of the event loop (one page's worth). */
const keysPerTurn = 10_000;

/**
 * One refusal for every stale "clear": during an outage the check may refuse
 * thousands a second, and a fresh error would capture a stack trace each time.
 */
const staleRefusal = unavailableError();

export class CheckService implements ChangeListener {
  readonly #source: CheckSource;
  readonly #cache: LRUCache<string, Answer>;
  readonly #serialize: (result: CheckResult, checked: CheckBucket) => string;
  readonly #counting: Counting = { counter: notCounting };
  readonly #staleAfterMs: number;
  readonly #log: CheckLogger | undefined;
  /** Null until the first build is done: meanwhile every check reads the index. */
  #filter: KeyFilter | null = null;
  #warming: Promise<void> | undefined;
  readonly #alsoTold: Pick<ChangeListener, 'changed'>[] = [];
  #stopped = false;
  /** Keys changed while a rebuild was reading: added to the new filter too. */
  #rebuilding: KeyFilter | undefined;
  #runningRebuild: Promise<void> | undefined;
  #queuedRebuild: Promise<void> | undefined;
  /** Moves on every invalidation, so a lookup that raced one is not cached. */
  #generation = 0;
  /** The one test the hot path makes about freshness: a field read. */
  #memoryTrusted = true;
  #interruptedSince: Date | null = null;
  #staleTimer: NodeJS.Timeout | undefined;

  constructor(source: CheckSource, options: CheckServiceOptions) {
    this.#source = source;
    this.#serialize = options.serialize;
    this.#cache = new LRUCache({ max: options.cacheSize ?? defaultCacheSize });
    this.#staleAfterMs = options.staleAfterMs ?? defaultStaleAfterMs;
    this.#log = options.log;
  }

  /** Loads the filter and waits for it (tests, and whoever wants it warm before serving). */
  async warm(): Promise<void> {
    await this.startWarming();
  }

  /**
   * Builds the filter in the background; until it is in, each check reads
   * the index (correct from the first request, only slower). A build that
   * fails is tried again, a second later, until one succeeds.
   */
  startWarming(): Promise<void> {
    this.#warming ??= this.#warmUntilDone();
    return this.#warming;
  }

  /** No more building: the database is closing. */
  stop(): void {
    this.#stopped = true;
  }

  async #warmUntilDone(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.rebuild();
        return;
      } catch (error) {
        if (this.#stopped) return;
        this.#log?.warn({ err: describeUnavailable(error) }, 'check filter build failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    }
  }

  /** Whether the filter is built: absent accounts are answered from memory. */
  get isWarm(): boolean {
    return this.#filter !== null;
  }

  /** Throws AppError `unavailable` when memory would answer "clear" but is no longer trusted. */
  check(account: AccountRef): CheckAnswer | Promise<CheckAnswer> {
    const remembered = this.#fromMemory(account);
    if (remembered) return remembered;
    const generation = this.#generation;
    const found = this.#source.lookup(account.key);
    return found instanceof Promise
      ? found.then((summary) => this.#remember(account, summary, generation))
      : this.#remember(account, found, generation);
  }

  /**
   * Many accounts at once, in the order given: through the same filter and
   * cache as `check`, and one read for all that neither answers (a bulk call
   * of a thousand accounts is one query, not a thousand).
   */
  checkMany(accounts: readonly AccountRef[]): CheckAnswer[] | Promise<CheckAnswer[]> {
    const answers: (CheckAnswer | undefined)[] = accounts.map((account) =>
      this.#fromMemory(account),
    );
    const unread = accounts.filter((_, index) => answers[index] === undefined);
    if (unread.length === 0) return answers as CheckAnswer[];
    const generation = this.#generation;
    const keys = [...new Set(unread.map((account) => account.key))];
    return this.#source
      .lookupMany(keys)
      .then((found) =>
        accounts.map(
          (account, index) =>
            answers[index] ?? this.#remember(account, found.get(account.key), generation),
        ),
      );
  }

  /** The answer memory can give, or undefined when the database must be read. */
  #fromMemory(account: AccountRef): CheckAnswer | undefined {
    if (this.#filter && !this.#filter.mightContain(account.key)) {
      if (this.#memoryTrusted) return this.#answer(account, emptySummary);
      throw staleRefusal;
    }
    const cached = this.#cache.get(account.key);
    // An untrusted cache still answers warnings; anything milder is read again.
    if (cached && (this.#memoryTrusted || cached.warns)) return cached;
    return undefined;
  }

  #remember(account: AccountRef, summary: AccountSummary | undefined, generation: number) {
    const answer = this.#answer(account, summary ?? emptySummary);
    if (generation === this.#generation) this.#cache.set(account.key, answer);
    return answer;
  }

  #answer(account: AccountRef, summary: AccountSummary): Answer {
    return new Answer(
      { account, status: statusOf(summary), summary },
      this.#serialize,
      this.#counting,
    );
  }

  /** Where checks are counted (statistics/check-counts.ts); until set, nothing is. */
  countWith(counter: CheckCounter): void {
    this.#counting.counter = counter;
  }

  /**
   * Counts one check of `account` by `client`: the address the rate limiter
   * sees for an anonymous check; for a keyed one its Authorization header,
   * which names exactly one admitted key (only a hash of it reaches the
   * sketch, never the database). The single check (API and result page)
   * counts; the bulk check and the range lookup do not.
   */
  count(account: AccountRef, client: string): void {
    this.#counting.counter.count(account.key, client);
  }

  /** How many distinct clients checked the account in the last 30 days. */
  checkedBy(account: AccountRef): CheckBucket {
    return this.#counting.counter.bucket(account.key);
  }

  /**
   * Others that keep answers about accounts (the range lookup) hear of the
   * changes this process makes as soon as the check does, not only when the
   * change feed brings them round.
   */
  alsoTell(listener: Pick<ChangeListener, 'changed'>): void {
    this.#alsoTold.push(listener);
  }

  changed(keys: readonly string[]): void {
    for (const listener of this.#alsoTold) listener.changed(keys);
    this.#generation++;
    for (const key of keys) {
      this.#filter?.add(key);
      this.#rebuilding?.add(key);
      this.#cache.delete(key);
    }
    if (this.#filter?.overfull && !this.#runningRebuild && !this.#queuedRebuild) {
      this.rebuild().catch((error: unknown) => {
        // The filter stays correct, only fuller than planned: the next change tries again.
        this.#log?.warn({ err: describeUnavailable(error) }, 'check filter rebuild failed');
      });
    }
  }

  interrupted(): void {
    if (this.#interruptedSince) return;
    this.#interruptedSince = new Date();
    this.#staleTimer = setTimeout(() => this.#distrustMemory(), this.#staleAfterMs);
    this.#staleTimer.unref();
  }

  resumed(): void {
    const since = this.#interruptedSince;
    if (!since) return;
    clearTimeout(this.#staleTimer);
    this.#interruptedSince = null;
    if (this.#memoryTrusted) return;
    this.#memoryTrusted = true;
    this.#log?.info({ since }, 'check answers from memory again: the change feed caught up');
  }

  #distrustMemory(): void {
    this.#memoryTrusted = false;
    this.#log?.warn(
      { since: this.#interruptedSince, staleAfterMs: this.#staleAfterMs },
      'check change feed lost: "clear" answers refused with 503 until it catches up',
    );
  }

  get freshness(): CheckFreshness {
    return { interruptedSince: this.#interruptedSince, trusted: this.#memoryTrusted };
  }

  /**
   * Reads every listed key into a fresh filter, then swaps it in and empties
   * the cache. Asked while one runs, it queues another: what prompted the
   * call may have happened after the running one read past it.
   */
  rebuild(): Promise<void> {
    if (this.#queuedRebuild) return this.#queuedRebuild;
    const afterRunning = this.#runningRebuild?.catch(() => undefined) ?? Promise.resolve();
    const queued = afterRunning.then(() => {
      this.#queuedRebuild = undefined;
      const running = this.#doRebuild();
      this.#runningRebuild = running;
      return running.finally(() => {
        if (this.#runningRebuild === running) this.#runningRebuild = undefined;
      });
    });
    this.#queuedRebuild = queued;
    return queued;
  }

  async #doRebuild(): Promise<void> {
    try {
      const listed = await this.#source.countListed();
      const fresh = new KeyFilter(Math.max(listed * 2, 100_000));
      this.#rebuilding = fresh;
      let sinceTurn = 0;
      for await (const key of this.#source.listedKeys()) {
        fresh.add(key);
        // SQLite reads hold the event loop and the pages arrive as
        // microtasks: requests are let in between pages.
        if (++sinceTurn === keysPerTurn) {
          sinceTurn = 0;
          await nextTurn();
        }
      }
      this.#filter = fresh;
      this.#generation++;
      this.#cache.clear();
    } finally {
      this.#rebuilding = undefined;
    }
  }

  get stats() {
    return { filtered: this.#filter?.size ?? 0, cached: this.#cache.size };
  }
}
