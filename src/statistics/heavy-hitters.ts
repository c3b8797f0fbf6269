// The accounts most checked by distinct clients, in fixed memory: the
// space-saving algorithm (Metwally et al.). A sketch cannot list its keys;
// this can, for the `capacity` keys counted most. An account not held takes
// the place of the least counted one, with that count added to its own:
// counts are never below the truth, and any account counted more than
// total/capacity times is certainly held.
//
// Each key keeps its slot; a min-heap of slot numbers (typed arrays) finds
// the least counted, so counting one more moves numbers, never keys, and the
// key-to-slot map changes only when a key is replaced.

export interface HeavyHitter {
  readonly key: string;
  readonly count: number;
}

export class HeavyHitters {
  readonly capacity: number;
  /** Per slot: its count, its key, its place in the heap. */
  readonly #counts: Uint32Array;
  readonly #keys: string[];
  readonly #heapPlace: Int32Array;
  /** The heap: slot numbers, the least counted first. */
  readonly #heap: Int32Array;
  readonly #slots = new Map<string, number>();
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#counts = new Uint32Array(capacity);
    this.#keys = new Array<string>(capacity).fill('');
    this.#heapPlace = new Int32Array(capacity);
    this.#heap = new Int32Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Counts `key` once more. `atMost`, when known (the sketch's estimate of
   * all its checks), lets a key that cannot outnumber the least counted
   * entry pass by without replacing it: most keys are rare, and each
   * replacement costs map and heap work.
   */
  add(key: string, weight = 1, atMost = Infinity): void {
    const slot = this.#slots.get(key);
    if (slot !== undefined) {
      this.#counts[slot] = this.#counts[slot]! + weight;
      this.#siftDown(this.#heapPlace[slot]!);
      return;
    }
    if (this.#size < this.capacity) {
      const fresh = this.#size++;
      this.#keys[fresh] = key;
      this.#counts[fresh] = weight;
      this.#slots.set(key, fresh);
      this.#heap[fresh] = fresh;
      this.#heapPlace[fresh] = fresh;
      this.#siftUp(fresh);
      return;
    }
    const least = this.#heap[0]!;
    if (atMost <= this.#counts[least]!) return;
    // The least counted gives its place, and its count, to the newcomer.
    this.#slots.delete(this.#keys[least]!);
    this.#keys[least] = key;
    this.#counts[least] = this.#counts[least]! + weight;
    this.#slots.set(key, least);
    this.#siftDown(0);
  }

  /** Every entry, most counted first. */
  entries(): HeavyHitter[] {
    const list: HeavyHitter[] = [];
    for (let i = 0; i < this.#size; i++)
      list.push({ key: this.#keys[i]!, count: this.#counts[i]! });
    return list.sort((a, b) => b.count - a.count);
  }

  #countAt(place: number): number {
    return this.#counts[this.#heap[place]!]!;
  }

  #swap(a: number, b: number): void {
    const slotA = this.#heap[a]!;
    const slotB = this.#heap[b]!;
    this.#heap[a] = slotB;
    this.#heap[b] = slotA;
    this.#heapPlace[slotB] = a;
    this.#heapPlace[slotA] = b;
  }

  #siftUp(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (this.#countAt(parent) <= this.#countAt(i)) return;
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
      const child = right < this.#size && this.#countAt(right) < this.#countAt(left) ? right : left;
      if (this.#countAt(i) <= this.#countAt(child)) return;
      this.#swap(i, child);
      i = child;
    }
  }
}
