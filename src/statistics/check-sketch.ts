// How many distinct clients checked an account, counted in fixed memory.
//
// A check is a pair (account, client). A Bloom filter of the day's pairs says
// whether this pair was seen today already; a pair new today adds one to the
// account's counters in a count-min sketch of the day. The last 30 days are
// today's sketch plus the sum of the 29 before (kept as one more sketch, the
// window). The estimate is the smallest of the account's counters: never
// below the true count, above it by at most e·N/width with probability
// 1 − e^−depth (N: the pairs counted in the window). A client checking on
// several days counts once per day.
//
// Everything is typed arrays of a size fixed at construction: a million
// accounts or a billion take the same memory. The hot path hashes two short
// strings and touches a dozen array cells; it allocates nothing.

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
  /** Counters per row; a power of two. */
  readonly width: number;
  /** Rows (independent hashes). */
  readonly depth: number;
  /** Bits of the day's pair filter; a power of two, at least 32. */
  readonly filterBits: number;
  /** Bit positions per pair in the filter. */
  readonly filterHashes: number;
}

/**
 * 4 × 65 536 counters of 16 bits (512 KiB a sketch) and a 8 Mbit (1 MiB)
 * filter of the day's pairs: about 3 % of pairs lost to the filter at a
 * million distinct pairs a day.
 */
export const defaultShape: SketchShape = {
  width: 1 << 16,
  depth: 4,
  filterBits: 1 << 23,
  filterHashes: 4,
};

/** Counters stop at this (a bucket needs no more than 1000). */
const saturated = 0xffff;

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

/** a + b, stopped at the counters' ceiling. */
function addSaturated(target: Uint16Array, source: Uint16Array): void {
  for (let i = 0; i < target.length; i++) {
    const sum = target[i]! + source[i]!;
    target[i] = sum > saturated ? saturated : sum;
  }
}

export function emptyCounters(shape: SketchShape): Uint16Array {
  return new Uint16Array(shape.width * shape.depth);
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

/**
 * The day's counting state of one process: the day's pairs and counts (the
 * database's as of the last flush, plus this process's since), what this
 * process added since (to flush), and the window of the 29 days before.
 */
export class CheckSketch {
  readonly shape: SketchShape;
  /** The day's pairs: the database's and this process's. */
  pairs: Uint32Array;
  /** The day's counts: the database's and this process's. */
  today: Uint16Array;
  /** This process's counts since the last flush. */
  delta: Uint16Array;
  /** The 29 days before today, summed. */
  window: Uint16Array;
  /** Whether anything was counted since the last flush. */
  dirty = false;
  readonly #mask: number;
  readonly #filterMask: number;
  // The last account hashed: a check counts, then reads its bucket, hashing once.
  #lastKey = '';
  #h1 = 0;
  #h2 = 0;

  constructor(shape: SketchShape = defaultShape) {
    if (
      (shape.width & (shape.width - 1)) !== 0 ||
      (shape.filterBits & (shape.filterBits - 1)) !== 0
    )
      throw new Error('sketch width and filter bits must be powers of two');
    this.shape = shape;
    this.#mask = shape.width - 1;
    this.#filterMask = shape.filterBits - 1;
    this.pairs = emptyFilter(shape);
    this.today = emptyCounters(shape);
    this.delta = emptyCounters(shape);
    this.window = emptyCounters(shape);
  }

  /** Bytes held, whatever was counted. */
  get byteSize(): number {
    return (
      this.pairs.byteLength + this.today.byteLength + this.delta.byteLength + this.window.byteLength
    );
  }

  #hashAccount(key: string): void {
    if (key === this.#lastKey) return;
    this.#lastKey = key;
    this.#h1 = hashString(key, 0);
    // Odd, so that the rows' positions h1 + row·h2 differ.
    this.#h2 = (mix(this.#h1 ^ 0x9e3779b9) | 1) >>> 0;
  }

  /**
   * Counts a check of `key` by `client`; returns whether the pair was new
   * today (and so counted).
   */
  count(key: string, client: string): boolean {
    this.#hashAccount(key);
    const c = hashString(client, 0x5bd1e995);
    const p1 = mix(this.#h1 ^ c);
    const p2 = (mix(p1 ^ this.#h2) | 1) >>> 0;
    const pairs = this.pairs;
    let fresh = false;
    for (let i = 0; i < this.shape.filterHashes; i++) {
      const bit = (p1 + Math.imul(i, p2)) & this.#filterMask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((pairs[word]! & flag) === 0) {
        fresh = true;
        pairs[word] = pairs[word]! | flag;
      }
    }
    if (!fresh) return false;
    const width = this.shape.width;
    for (let row = 0; row < this.shape.depth; row++) {
      const cell = row * width + ((this.#h1 + Math.imul(row, this.#h2)) & this.#mask);
      if (this.today[cell]! < saturated) this.today[cell]!++;
      if (this.delta[cell]! < saturated) this.delta[cell]!++;
    }
    this.dirty = true;
    return true;
  }

  /** The estimated distinct clients of the last 30 days (today included). */
  estimate(key: string): number {
    this.#hashAccount(key);
    const width = this.shape.width;
    let least = Infinity;
    for (let row = 0; row < this.shape.depth; row++) {
      const cell = row * width + ((this.#h1 + Math.imul(row, this.#h2)) & this.#mask);
      const sum = this.today[cell]! + this.window[cell]!;
      if (sum < least) least = sum;
    }
    return least;
  }

  bucket(key: string): CheckBucket {
    return bucketOf(this.estimate(key));
  }

  /** Takes what this process counted since the last flush, leaving none. */
  takeDelta(): Uint16Array {
    const taken = this.delta;
    this.delta = emptyCounters(this.shape);
    this.dirty = false;
    return taken;
  }

  /** Puts back a delta whose flush failed: it is flushed with the next. */
  restoreDelta(delta: Uint16Array): void {
    addSaturated(this.delta, delta);
    this.dirty = true;
  }

  /**
   * After a flush: the day as the database has it, plus what this process
   * counted while the flush was under way (still in `delta`).
   */
  adoptDay(counts: Uint16Array, pairs: Uint32Array): void {
    const today = counts.slice();
    addSaturated(today, this.delta);
    orFilter(pairs, this.pairs);
    this.today = today;
    this.pairs = pairs;
  }

  /** A new day: the window is the days before it, the day starts from the database's. */
  startDay(window: Uint16Array, counts: Uint16Array, pairs: Uint32Array): void {
    this.window = window;
    this.pairs = emptyFilter(this.shape);
    this.adoptDay(counts, pairs);
    this.#lastKey = '';
  }
}
