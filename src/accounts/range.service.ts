// The private lookup's answers. A request reads its bucket with one range
// scan of the key_hash index (about one listed account per bucket at a
// million). What is kept in memory is the rendering: a bounded cache of
// answers by prefix, each with the lines it was rendered from; when the lines
// read now are the same, the kept bytes and ETag are answered as they are.
//
// A kept answer is answered without a read while the change feed hears every
// change (`memoryFirst`): the feed drops the buckets of changed accounts (this
// process's own changes at once, through the check), and while it does not
// hear, every request reads again. On PostgreSQL a read is a round trip; on
// SQLite it is an in-process statement, but at a million listed accounts the
// key_hash index is far larger than SQLite's page cache, and reading every
// time measured at 39% of bare node:http against 72% for the check.
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.ts';
import { preparedRangeLookup, type RangeRowsLookup } from './accounts.repository.ts';
import type { ChangeListener } from './change-feed.ts';
import {
  keyHash,
  rangeEnd,
  rangeLine,
  rangePrefixLength,
  renderRange,
  type ListedHash,
  type RenderedRange,
} from './range.ts';

export interface RangeSource {
  /** The listed accounts of a bucket, in hash order: one indexed read. */
  listed(from: string, to: string): ListedHash[] | Promise<ListedHash[]>;
}

export function rangeSourceFor(database: Database): RangeSource {
  const lookup: RangeRowsLookup = preparedRangeLookup(database);
  return { listed: lookup };
}

export interface RangeServiceOptions {
  /** Keys the padding: processes sharing it answer a bucket with the same bytes. */
  readonly key: Buffer;
  /** Bytes the kept buckets may hold together (their bodies and lines). */
  readonly cacheBytes?: number;
  /** Answer a kept bucket without reading it while the change feed hears (PostgreSQL). */
  readonly memoryFirst?: boolean;
}

interface Rendered extends RenderedRange {
  /** The listed accounts' lines it was rendered from. */
  readonly lines: string;
}

/** Whatever the number of listed accounts, the kept buckets stay within this. */
const defaultCacheBytes = 24 * 1024 * 1024;
/** A kept bucket's own objects beside its bytes: its entry, etag and key. */
const keptBucketOverhead = 256;

export class RangeService implements ChangeListener {
  readonly #source: RangeSource;
  readonly #key: Buffer;
  readonly #cache: LRUCache<string, Rendered>;
  readonly #memoryFirst: boolean;
  /** False while the change feed may be missing changes. */
  #hearing = true;
  /** Moves on every invalidation, so a read that raced one is answered but not kept. */
  #generation = 0;

  constructor(source: RangeSource, options: RangeServiceOptions) {
    this.#source = source;
    this.#key = options.key;
    this.#cache = new LRUCache({
      maxSize: options.cacheBytes ?? defaultCacheBytes,
      sizeCalculation: (kept) => kept.body.length + kept.lines.length + keptBucketOverhead,
    });
    this.#memoryFirst = options.memoryFirst ?? false;
  }

  /** The answer for an upper-case prefix (range.ts normalizePrefix). */
  lookup(prefix: string): RenderedRange | Promise<RenderedRange> {
    if (this.#memoryFirst && this.#hearing) {
      const kept = this.#cache.get(prefix);
      if (kept) return kept;
    }
    const generation = this.#generation;
    const listed = this.#source.listed(prefix, rangeEnd(prefix));
    // SQLite answers synchronously: no promise, no extra turn of the event loop.
    return listed instanceof Promise
      ? listed.then((l) => this.#answer(prefix, l, generation))
      : this.#answer(prefix, listed, generation);
  }

  #answer(prefix: string, listed: readonly ListedHash[], generation: number): RenderedRange {
    let lines = '';
    for (const account of listed) lines += rangeLine(account);
    const kept = this.#cache.get(prefix);
    if (kept?.lines === lines) return kept;
    const rendered: Rendered = { ...renderRange(this.#key, prefix, lines, listed.length), lines };
    if (generation === this.#generation) this.#cache.set(prefix, rendered);
    return rendered;
  }

  /** These accounts changed: forget the answers of their buckets. */
  changed(keys: readonly string[]): void {
    if (!this.#memoryFirst) return;
    this.#generation++;
    for (const key of keys) this.#cache.delete(keyHash(key).slice(0, rangePrefixLength));
  }

  interrupted(): void {
    this.#hearing = false;
  }

  resumed(): void {
    this.#hearing = true;
  }

  /** Changes may have been missed: every kept answer is read again before it is trusted. */
  rebuild(): Promise<void> {
    this.#generation++;
    this.#cache.clear();
    return Promise.resolve();
  }

  get stats() {
    return { cached: this.#cache.size, cachedBytes: this.#cache.calculatedSize };
  }
}
