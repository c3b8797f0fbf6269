// A Bloom filter over the keys of listed accounts, so the check answers most
// absent accounts without touching the database. Hand-written because it is
// forty lines and the hot path wants no allocation per lookup; a false
// positive only costs one indexed query, never a wrong answer.

/** FNV-1a over UTF-16 code units, with a seed: cheap and well spread for short keys. */
function fnv1a(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so that similar keys spread apart.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export class KeyFilter {
  readonly #bits: Uint32Array;
  readonly #bitCount: number;
  readonly #hashes: number;
  #added = 0;
  readonly capacity: number;

  /** Sized for `capacity` keys at about a 1% false-positive rate. */
  constructor(capacity: number) {
    this.capacity = Math.max(1024, Math.ceil(capacity));
    const bitsPerKey = 9.6; // −ln(0.01) / ln(2)²
    this.#bitCount = Math.ceil((this.capacity * bitsPerKey) / 32) * 32;
    this.#bits = new Uint32Array(this.#bitCount / 32);
    this.#hashes = 7;
  }

  get size(): number {
    return this.#added;
  }

  /** True once more keys were added than the filter was sized for. */
  get overfull(): boolean {
    return this.#added > this.capacity;
  }

  add(key: string): void {
    const h1 = fnv1a(key, 0);
    const h2 = fnv1a(key, 0x9e3779b9) | 1;
    for (let i = 0; i < this.#hashes; i++) {
      const index = this.#bitIndex(h1, h2, i);
      this.#bits[index >>> 5]! |= 1 << (index & 31);
    }
    this.#added++;
  }

  /** False means certainly not added; true means probably added. */
  mightContain(key: string): boolean {
    const h1 = fnv1a(key, 0);
    const h2 = fnv1a(key, 0x9e3779b9) | 1;
    for (let i = 0; i < this.#hashes; i++) {
      const index = this.#bitIndex(h1, h2, i);
      if ((this.#bits[index >>> 5]! & (1 << (index & 31))) === 0) return false;
    }
    return true;
  }

  /** The i-th bit of a key, by double hashing (Kirsch–Mitzenmacher). */
  #bitIndex(h1: number, h2: number, i: number): number {
    return ((h1 + Math.imul(i, h2)) >>> 0) % this.#bitCount;
  }
}
