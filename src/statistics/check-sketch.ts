// How many distinct clients checked an account, counted in fixed memory.
//
// A check is a pair (account, client). A Bloom filter of the day's pairs says
// whether this pair was seen today already; a pair new today adds one to the
// account's four counters in a count-min sketch. The counters the checks
// read and add to are the last 30 days': the sum of the 29 days before (the
// window) and today's, as every process counted them at the last flush, plus
// what this process counted since. The estimate is the smallest of the
// account's counters: never below the true count, above it by about N/65 536
// at most with probability 1 − e^−4 for the default shape (N: the pairs
// counted in the 30 days). A client checking on several days counts once a day.
//
// Both structures are blocked: an account's four counters share one 64-byte
// cache line, and a pair's four filter bits another, so that a check touches
// two lines of memory, not a dozen. Everything is typed arrays of a size
// fixed at construction: a million accounts or a billion take the same
// memory. The hot path hashes two short strings and allocates nothing.

import type { CheckBucket } from '../accounts/check.ts';

export type { CheckBucket };

/** The bucket of a count. */
export function bucketOf(count: number): CheckBucket {
  if (count >= 1000) return '1000+';
  if (count >= 100) return '100+';
  if (count >= 10) return '10+';
  if (count >= 1) return '1+';
  return 'none';
}

export interface SketchShape {
  /** 16-bit counters in all; a power of two, at least 32 (blocks of 32, rows of 8). */
  readonly counters: number;
  /** Bits of the day's pair filter; a power of two, at least 512 (blocks of 512). */
  readonly filterBits: number;
}

/**
 * 262 144 counters of 16 bits (512 KiB an array; three are kept) and an
 * 8 Mbit (1 MiB) filter of the day's pairs: about 3 % of pairs lost to the
 * filter at a million distinct pairs a day.
 */
export const defaultShape: SketchShape = {
  counters: 1 << 18,
  filterBits: 1 << 23,
};

/** Counters stop at this (a bucket needs no more than 1000). */
const saturated = 0xffff;
/** Rows of the sketch, each 8 counters of an account's 32-counter block. */
const depth = 4;

/** FNV-1a over the string's UTF-16 units, then Murmur3's finalizer: cheap and well spread. */
export function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return mix(h);
}

function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addSaturated(target: Uint16Array, source: Uint16Array): void {
  for (let i = 0; i < target.length; i++) {
    const sum = target[i]! + source[i]!;
    target[i] = sum > saturated ? saturated : sum;
  }
}

export function emptyCounters(shape: SketchShape): Uint16Array {
  return new Uint16Array(shape.counters);
}

export function emptyFilter(shape: SketchShape): Uint32Array {
  return new Uint32Array(shape.filterBits >>> 5);
}

/** Adds `source` into `target`, counter by counter (how processes' counts merge). */
export function addCounters(target: Uint16Array, source: Uint16Array): void {
  addSaturated(target, source);
}

/** ORs `source` into `target` (how processes' filters merge). */
export function orFilter(target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i] = target[i]! | source[i]!;
}

/** What a flush adds to the database, and the counters as they were when it was taken. */
export interface TakenDelta {
  readonly delta: Uint16Array;
  readonly taken: Uint16Array;
}

/**
 * The counting state of one process: the day's pairs, the 30 days' counters
 * (`total`), and what they were at the last flush (`base`: the window plus
 * the database's day), so that what this process counted since is their
 * difference.
 */
export class CheckSketch {
  readonly shape: SketchShape;
  /** The day's pairs: the database's and this process's. */
  pairs: Uint32Array;
  /** The 30 days: the window, the database's day, this process's since. */
  total: Uint16Array;
  /** `total` as of the last flush. */
  base: Uint16Array;
  /** The 29 days before today, summed. */
  window: Uint16Array;
  /** Whether anything was counted since the last flush. */
  dirty = false;
  readonly #blockMask: number;
  readonly #filterBlockMask: number;
  // The last account hashed: a check counts, then reads its bucket, hashing once.
  #lastKey = '';
  #h1 = 0;
  #block = 0;

  constructor(shape: SketchShape = defaultShape) {
    const powerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;
    if (!powerOfTwo(shape.counters) || shape.counters < 32)
      throw new Error('sketch counters must be a power of two, at least 32');
    if (!powerOfTwo(shape.filterBits) || shape.filterBits < 512 || shape.filterBits > 2 ** 31)
      throw new Error('filter bits must be a power of two, from 512');
    this.shape = shape;
    this.#blockMask = shape.counters / 32 - 1;
    this.#filterBlockMask = shape.filterBits / 512 - 1;
    this.pairs = emptyFilter(shape);
    this.total = emptyCounters(shape);
    this.base = emptyCounters(shape);
    this.window = emptyCounters(shape);
  }

  /** Bytes held, whatever was counted. */
  get byteSize(): number {
    return (
      this.pairs.byteLength + this.total.byteLength + this.base.byteLength + this.window.byteLength
    );
  }

  #hashAccount(key: string): void {
    if (key === this.#lastKey) return;
    this.#lastKey = key;
    this.#h1 = hashString(key, 0);
    this.#block = (this.#h1 & this.#blockMask) * 32;
  }

  /** The account's counter of `row`: 8 choices per row, within its block. */
  #cell(row: number): number {
    return this.#block + row * 8 + ((this.#h1 >>> (17 + 3 * row)) & 7);
  }

  /**
   * Counts a check of `key` by `client`. Returns 0 when the pair was seen
   * today already (not counted), else the account's estimate of the 30 days,
   * this client included.
   */
  count(key: string, client: string): number {
    this.#hashAccount(key);
    const p1 = mix(this.#h1 ^ hashString(client, 0x5bd1e995));
    const p2 = mix(p1 ^ 0x9e3779b9);
    const word = (p1 & this.#filterBlockMask) * 16;
    const pairs = this.pairs;
    let fresh = false;
    for (let i = 0; i < 4; i++) {
      // Four 9-bit positions in the pair's 512-bit block.
      const bit = (i < 3 ? p2 >>> (9 * i) : p1 >>> 23) & 511;
      const at = word + (bit >>> 5);
      const flag = 1 << (bit & 31);
      if ((pairs[at]! & flag) === 0) {
        fresh = true;
        pairs[at] = pairs[at]! | flag;
      }
    }
    if (!fresh) return 0;
    const total = this.total;
    let least = saturated;
    for (let row = 0; row < depth; row++) {
      const cell = this.#cell(row);
      const now = total[cell]! < saturated ? total[cell]! + 1 : saturated;
      total[cell] = now;
      if (now < least) least = now;
    }
    this.dirty = true;
    return least;
  }

  /** The estimated distinct clients of the last 30 days (today included). */
  estimate(key: string): number {
    this.#hashAccount(key);
    let least = saturated;
    for (let row = 0; row < depth; row++) {
      const value = this.total[this.#cell(row)]!;
      if (value < least) least = value;
    }
    return least;
  }

  bucket(key: string): CheckBucket {
    return bucketOf(this.estimate(key));
  }

  /** What this process counted since the last flush, to add to the database. */
  takeDelta(): TakenDelta {
    const taken = this.total.slice();
    const delta = emptyCounters(this.shape);
    for (let i = 0; i < taken.length; i++) {
      const since = taken[i]! - this.base[i]!;
      delta[i] = since > 0 ? since : 0;
    }
    this.dirty = false;
    return { delta, taken };
  }

  /**
   * The day as the database has it now: the counters become the window, the
   * database's day and what this process counted since `taken` (or since the
   * last flush, when nothing was taken).
   */
  adoptDay(counts: Uint16Array, pairs: Uint32Array, taken: Uint16Array = this.base): void {
    const base = this.window.slice();
    addSaturated(base, counts);
    const total = base.slice();
    for (let i = 0; i < total.length; i++) {
      const since = this.total[i]! - taken[i]!;
      if (since > 0) total[i] = Math.min(saturated, total[i]! + since);
    }
    orFilter(pairs, this.pairs);
    this.base = base;
    this.total = total;
    this.pairs = pairs;
  }

  /**
   * Another window (a new day, or the first read of the database): the
   * day's pairs start again unless `keepPairs` (the same day, read at start).
   */
  startDay(window: Uint16Array, counts: Uint16Array, pairs: Uint32Array, keepPairs = false): void {
    this.window = window;
    if (!keepPairs) this.pairs = emptyFilter(this.shape);
    this.adoptDay(counts, pairs);
  }
}
