// The counting structures alone: the buckets after N distinct clients (a
// client twice counts once), and memory that stays what it was made with
// after a million distinct accounts.
import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  CheckSketch,
  emptyCounters,
  emptyFilter,
  type SketchShape,
} from './check-sketch.ts';
import { HeavyHitters } from './heavy-hitters.ts';

const small: SketchShape = { counters: 1 << 14, filterBits: 1 << 16 };

function countClients(sketch: CheckSketch, key: string, clients: number, from = 0) {
  for (let i = from; i < from + clients; i++) sketch.count(key, `10.0.${i >> 8}.${i & 255}`);
}

describe('the check sketch', () => {
  it('puts counts in coarse buckets', () => {
    expect([0, 1, 9, 10, 99, 100, 999, 1000, 50_000].map(bucketOf)).toEqual([
      'none',
      '1+',
      '1+',
      '10+',
      '10+',
      '100+',
      '100+',
      '1000+',
      '1000+',
    ]);
  });

  it('answers none, 1+, 10+, 100+ after that many distinct clients, a client twice once', () => {
    const sketch = new CheckSketch(small);
    expect(sketch.bucket('014:1000000001')).toBe('none');
    expect(sketch.count('014:1000000001', '10.0.0.1')).toBe(1);
    expect(sketch.count('014:1000000001', '10.0.0.1')).toBe(0);
    expect(sketch.estimate('014:1000000001')).toBe(1);
    expect(sketch.bucket('014:1000000001')).toBe('1+');

    countClients(sketch, '014:1000000002', 9);
    countClients(sketch, '014:1000000002', 9);
    expect(sketch.bucket('014:1000000002')).toBe('1+');
    countClients(sketch, '014:1000000002', 1, 9);
    expect(sketch.bucket('014:1000000002')).toBe('10+');

    countClients(sketch, 'ovo:6281200000003', 100);
    expect(sketch.bucket('ovo:6281200000003')).toBe('100+');
    // Other accounts are not moved by them.
    expect(sketch.bucket('014:1000000009')).toBe('none');
  });

  it('counts a key of a client the same whichever account came before it', () => {
    const sketch = new CheckSketch(small);
    sketch.count('014:1', 'a');
    sketch.count('014:2', 'a');
    sketch.count('014:1', 'b');
    expect(sketch.estimate('014:1')).toBe(2);
    expect(sketch.estimate('014:2')).toBe(1);
  });

  it('adds the window of the days before to today', () => {
    const sketch = new CheckSketch(small);
    countClients(sketch, '014:1', 4);
    const before = new CheckSketch(small);
    countClients(before, '014:1', 7, 100);
    sketch.startDay(before.total, emptyCounters(small), emptyFilter(small));
    expect(sketch.estimate('014:1')).toBe(11);
    expect(sketch.bucket('014:1')).toBe('10+');
    // What was counted before the new window is still to be flushed.
    expect(Math.max(...sketch.takeDelta().delta)).toBe(4);
  });

  it('keeps its size after a million distinct accounts', () => {
    const sketch = new CheckSketch();
    const hitters = new HeavyHitters(1000);
    const bytes = sketch.byteSize;
    expect(bytes).toBe((1 << 18) * 2 * 3 + (1 << 23) / 8);
    for (let i = 0; i < 1_000_000; i++) {
      const key = `014:${1_000_000_000 + i}`;
      if (sketch.count(key, '10.1.2.3') > 0) hitters.add(key);
    }
    expect(sketch.byteSize).toBe(bytes);
    expect(hitters.size).toBe(1000);
  });
});

describe('the heavy hitters', () => {
  it('holds the most counted accounts, never counting one below its truth', () => {
    const hitters = new HeavyHitters(10);
    for (let i = 0; i < 50; i++) hitters.add('hot');
    for (let i = 0; i < 20; i++) hitters.add('warm');
    for (let i = 0; i < 100; i++) hitters.add(`cold-${i}`);
    const entries = hitters.entries();
    expect(entries).toHaveLength(10);
    expect(entries[0]).toEqual({ key: 'hot', count: 50 });
    expect(entries[1]).toEqual({ key: 'warm', count: 20 });
  });
});
