// The accounts most checked by distinct clients, in fixed memory: the
// space-saving algorithm (Metwally et al.). A sketch cannot list its keys;
// this can, for the `capacity` keys counted most. An account not held takes
// the place of the least counted one, with that count plus one: counts are
// never below the truth, and any account counted more than total/capacity
// times is certainly held.
//
// The entries are a min-heap on the count (typed arrays, the keys beside),
// so that finding the least counted and counting one more are O(log capacity).

export interface HeavyHitter {
  readonly key: string;
  readonly count: number;
}

export class HeavyHitters {
  readonly capacity: number;
  readonly #counts: Uint32Array;
  readonly #keys: string[];
  readonly #positions = new Map<string, number>();
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#counts = new Uint32Array(capacity);
    this.#keys = new Array<string>(capacity).fill('');
  }

  get size(): number {
    return this.#size;
  }

  add(key: string): void {
    const at = this.#positions.get(key);
    if (at !== undefined) {
      this.#counts[at] = this.#counts[at]! + 1;
      this.#siftDown(at);
      return;
    }
    if (this.#size < this.capacity) {
      const slot = this.#size++;
      this.#keys[slot] = key;
      this.#counts[slot] = 1;
      this.#positions.set(key, slot);
      this.#siftUp(slot);
      return;
    }
    // The least counted gives its place, and its count, to the newcomer.
    this.#positions.delete(this.#keys[0]!);
    this.#keys[0] = key;
    this.#counts[0] = this.#counts[0]! + 1;
    this.#positions.set(key, 0);
    this.#siftDown(0);
  }

  /** Every entry, most counted first. */
  entries(): HeavyHitter[] {
    const list: HeavyHitter[] = [];
    for (let i = 0; i < this.#size; i++)
      list.push({ key: this.#keys[i]!, count: this.#counts[i]! });
    return list.sort((a, b) => b.count - a.count);
  }

  clear(): void {
    this.#positions.clear();
    this.#keys.fill('');
    this.#counts.fill(0);
    this.#size = 0;
  }

  #swap(a: number, b: number): void {
    const count = this.#counts[a]!;
    this.#counts[a] = this.#counts[b]!;
    this.#counts[b] = count;
    const key = this.#keys[a]!;
    this.#keys[a] = this.#keys[b]!;
    this.#keys[b] = key;
    this.#positions.set(this.#keys[a], a);
    this.#positions.set(key, b);
  }

  #siftUp(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (this.#counts[parent]! <= this.#counts[i]!) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.#size) return;
      const right = left + 1;
      const child = right < this.#size && this.#counts[right]! < this.#counts[left]! ? right : left;
      if (this.#counts[i]! <= this.#counts[child]!) return;
      this.#swap(i, child);
      i = child;
    }
  }
}
