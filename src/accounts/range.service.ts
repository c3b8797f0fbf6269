// The private lookup's answers. Every request reads its bucket with one
// range scan of the key_hash index (about one listed account per bucket at a
// million), so an answer is never staler than the database, on any process,
// without listening for changes. What is kept in memory is the rendering:
// a bounded cache of answers by prefix, each with the lines it was rendered
// from; when the lines read now are the same, the kept bytes and ETag are
// answered as they are.
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.ts';
import { preparedRangeLookup, type RangeRowsLookup } from './accounts.repository.ts';
import { rangeEnd, rangeLine, renderRange, type ListedHash, type RenderedRange } from './range.ts';

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
  /** Rendered buckets kept (about 6 KB each). */
  readonly cacheSize?: number;
}

interface Rendered extends RenderedRange {
  /** The listed accounts' lines it was rendered from. */
  readonly lines: string;
}

const defaultCacheSize = 10_000;

export class RangeService {
  readonly #source: RangeSource;
  readonly #key: Buffer;
  readonly #cache: LRUCache<string, Rendered>;

  constructor(source: RangeSource, options: RangeServiceOptions) {
    this.#source = source;
    this.#key = options.key;
    this.#cache = new LRUCache({ max: options.cacheSize ?? defaultCacheSize });
  }

  /** The answer for an upper-case prefix (range.ts normalizePrefix). */
  lookup(prefix: string): RenderedRange | Promise<RenderedRange> {
    const listed = this.#source.listed(prefix, rangeEnd(prefix));
    // SQLite answers synchronously: no promise, no extra turn of the event loop.
    return listed instanceof Promise
      ? listed.then((l) => this.#answer(prefix, l))
      : this.#answer(prefix, listed);
  }

  #answer(prefix: string, listed: readonly ListedHash[]): RenderedRange {
    let lines = '';
    for (const account of listed) lines += rangeLine(account);
    const kept = this.#cache.get(prefix);
    if (kept?.lines === lines) return kept;
    const rendered: Rendered = { ...renderRange(this.#key, prefix, lines, listed.length), lines };
    this.#cache.set(prefix, rendered);
    return rendered;
  }

  get stats() {
    return { cached: this.#cache.size };
  }
}
