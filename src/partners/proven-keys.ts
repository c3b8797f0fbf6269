// Keys this process has already proven, found again by a plain SHA-256 of
// the bearer instead of the HMAC the stored hashes need: the HMAC cost more
// than the check it guarded (a few µs against the check's own few). Only
// keys that matched a live key in full enter, so an unknown key always pays
// the whole way; the map holds digests, never a key, and is emptied at
// every change of the keys.
import { hash } from 'node:crypto';

/** More distinct live keys than any deployment holds; past it the map starts over. */
const maxProven = 10_000;

export class ProvenKeys<T> {
  #byDigest = new Map<string, T>();
  #generation = 0;

  /** Counts the times the map was emptied: what was proven before a change is proven again after. */
  get generation(): number {
    return this.#generation;
  }

  get(bearer: string): T | undefined {
    return this.#byDigest.get(digestOf(bearer));
  }

  remember(bearer: string, value: T): void {
    if (this.#byDigest.size >= maxProven) this.#byDigest.clear();
    this.#byDigest.set(digestOf(bearer), value);
  }

  clear(): void {
    this.#byDigest.clear();
    this.#generation += 1;
  }
}

function digestOf(bearer: string): string {
  return hash('sha256', bearer, 'base64');
}
