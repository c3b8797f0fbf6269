// The check: the hot path of the whole system. In front of one prepared
// lookup sit a Bloom filter of listed accounts (most checks are for accounts
// nobody reported, answered without a query) and a bounded cache of listed
// ones. Every change to an account, in this process or another, removes it
// from the cache and adds it to the filter before the next check reads it.
import { LRUCache } from 'lru-cache';
import type { AccountRef } from './account-number.ts';
import { emptySummary, statusOf, type AccountSummary, type CheckResult } from './check.ts';
import { KeyFilter } from './key-filter.ts';
import type { ChangeListener } from './change-feed.ts';

export interface CheckAnswer {
  readonly result: CheckResult;
  /** The result as the API sends it, serialized once and kept with the cached entry. */
  readonly json: string;
}

export interface CheckSource {
  /** The summary of a listed account, or undefined: the prepared lookup. */
  lookup(key: string): AccountSummary | undefined | Promise<AccountSummary | undefined>;
  /** Every listed key, for the filter. */
  listedKeys(): AsyncIterable<string>;
  countListed(): Promise<number>;
}

export interface CheckServiceOptions {
  readonly cacheSize?: number;
  readonly serialize: (result: CheckResult) => string;
}

class Answer implements CheckAnswer {
  #json: string | undefined;
  constructor(
    readonly result: CheckResult,
    private readonly serialize: (result: CheckResult) => string,
  ) {}
  get json(): string {
    return (this.#json ??= this.serialize(this.result));
  }
}

export class CheckService implements ChangeListener {
  readonly #source: CheckSource;
  readonly #cache: LRUCache<string, Answer>;
  readonly #serialize: (result: CheckResult) => string;
  #filter: KeyFilter = new KeyFilter(0);
  /** Keys changed while a rebuild was reading: added to the new filter too. */
  #rebuilding: KeyFilter | undefined;
  #rebuild: Promise<void> | undefined;
  /** Moves on every invalidation, so a lookup that raced one is not cached. */
  #generation = 0;

  constructor(source: CheckSource, options: CheckServiceOptions) {
    this.#source = source;
    this.#serialize = options.serialize;
    this.#cache = new LRUCache({ max: options.cacheSize ?? 50_000 });
  }

  /** Loads the filter; call once before serving. */
  async warm(): Promise<void> {
    await this.rebuild();
  }

  check(account: AccountRef): CheckAnswer | Promise<CheckAnswer> {
    if (!this.#filter.mightContain(account.key)) return this.#answer(account, emptySummary);
    const cached = this.#cache.get(account.key);
    if (cached) return cached;
    const generation = this.#generation;
    const found = this.#source.lookup(account.key);
    return found instanceof Promise
      ? found.then((summary) => this.#remember(account, summary, generation))
      : this.#remember(account, found, generation);
  }

  #remember(account: AccountRef, summary: AccountSummary | undefined, generation: number) {
    const answer = this.#answer(account, summary ?? emptySummary);
    if (generation === this.#generation) this.#cache.set(account.key, answer);
    return answer;
  }

  #answer(account: AccountRef, summary: AccountSummary): Answer {
    return new Answer({ account, status: statusOf(summary), summary }, this.#serialize);
  }

  changed(keys: readonly string[]): void {
    this.#generation++;
    for (const key of keys) {
      this.#filter.add(key);
      this.#rebuilding?.add(key);
      this.#cache.delete(key);
    }
    if (this.#filter.overfull && !this.#rebuild) void this.rebuild();
  }

  lost(): void {
    void this.rebuild();
  }

  /** Reads every listed key into a fresh filter, then swaps it in and empties the cache. */
  rebuild(): Promise<void> {
    this.#rebuild ??= this.#doRebuild().finally(() => {
      this.#rebuild = undefined;
      this.#rebuilding = undefined;
    });
    return this.#rebuild;
  }

  async #doRebuild(): Promise<void> {
    const listed = await this.#source.countListed();
    const fresh = new KeyFilter(Math.max(listed * 2, 100_000));
    this.#rebuilding = fresh;
    for await (const key of this.#source.listedKeys()) fresh.add(key);
    this.#filter = fresh;
    this.#generation++;
    this.#cache.clear();
  }

  get stats() {
    return { filtered: this.#filter.size, cached: this.#cache.size };
  }
}
