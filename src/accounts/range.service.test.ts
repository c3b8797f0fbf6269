// What the range service reads and what it answers from memory.
import { expect, it } from 'vitest';
import { keyHash, type ListedHash } from './range.ts';
import { RangeService, type RangeSource } from './range.service.ts';

const key = '014:1234567890';
const prefix = keyHash(key).slice(0, 5);

function countingSource(listed: ListedHash[]): RangeSource & { reads: number } {
  const source = {
    reads: 0,
    listed: () => {
      source.reads++;
      return [...listed];
    },
  };
  return source;
}

const reported: ListedHash = { keyHash: keyHash(key), verifiedCount: 1, status: 'reported' };

it('reads the bucket on every request unless memory first, and keeps the same bytes', () => {
  const source = countingSource([reported]);
  const ranges = new RangeService(source, { key: Buffer.alloc(32, 1) });
  const first = ranges.lookup(prefix);
  expect(ranges.lookup(prefix)).toBe(first);
  expect(source.reads).toBe(2);
});

it('answers a kept bucket from memory while the feed hears, and reads again after a change', () => {
  const listed = [reported];
  const source = countingSource(listed);
  const ranges = new RangeService(source, { key: Buffer.alloc(32, 1), memoryFirst: true });
  const first = ranges.lookup(prefix);
  expect(ranges.lookup(prefix)).toBe(first);
  expect(source.reads).toBe(1);

  listed[0] = { ...reported, verifiedCount: 2 };
  ranges.changed(['008:9999999999']);
  expect(ranges.lookup(prefix)).toBe(first);
  ranges.changed([key]);
  expect(ranges.lookup(prefix)).not.toEqual(first);
  expect(source.reads).toBe(2);

  ranges.interrupted();
  void ranges.lookup(prefix);
  expect(source.reads).toBe(3);
  ranges.resumed();
  void ranges.lookup(prefix);
  expect(source.reads).toBe(3);
  void ranges.rebuild();
  void ranges.lookup(prefix);
  expect(source.reads).toBe(4);
});

it('does not keep an answer read before a change it raced', async () => {
  let release: (rows: ListedHash[]) => void = () => undefined;
  const source: RangeSource = {
    listed: () => new Promise<ListedHash[]>((resolve) => (release = resolve)),
  };
  const ranges = new RangeService(source, { key: Buffer.alloc(32, 1), memoryFirst: true });
  const raced = ranges.lookup(prefix);
  ranges.changed([key]);
  release([reported]);
  await raced;
  const again = ranges.lookup(prefix);
  expect(again).toBeInstanceOf(Promise);
  release([reported]);
  await again;
});

it('keeps rendered buckets within its bytes, the least recently asked going first', () => {
  const source: RangeSource = { listed: () => [] };
  const cacheBytes = 16 * 1024;
  const ranges = new RangeService(source, {
    key: Buffer.alloc(32, 1),
    memoryFirst: true,
    cacheBytes,
  });
  const prefixes = Array.from({ length: 64 }, (_, i) =>
    i.toString(16).toUpperCase().padStart(5, '0'),
  );
  for (const p of prefixes) void ranges.lookup(p);
  const { cached, cachedBytes } = ranges.stats;
  expect(cachedBytes).toBeLessThanOrEqual(cacheBytes);
  expect(cached).toBeGreaterThan(0);
  expect(cached).toBeLessThan(prefixes.length);
});
