// The private lookup's rules: the hash, the prefix, and padding that is
// random yet the same for the same bucket in the same state.
import { expect, it } from 'vitest';
import { keyHash, normalizePrefix, rangeEnd, rangeLine, renderRange } from './range.ts';

const key = Buffer.alloc(32, 7);

function linesOf(body: Buffer): string[] {
  return body.toString('latin1').split('\n').slice(0, -1);
}

it('hashes the canonical key as api.md and the README say (their test vectors)', () => {
  expect(keyHash('014:1234567890')).toBe(
    'EAE596E94E87546CD1568C01245F7A9CBA75B9A550BCE0F8F2700054C372249F',
  );
  expect(keyHash('dana:6281234567890')).toBe(
    'C790813F7ED9B786CEA2F7A83685E78C8156694AEF3FBCB78FE3CB07EB46F7AA',
  );
  expect(keyHash('014:0000000001')).toBe(
    'CC1FD763974BA0ACDB66E04B7D40157DA9D481A205191B50D4FAA455941B9AF7',
  );
});

it('takes 5 hex characters in either case, and nothing else', () => {
  expect(normalizePrefix('eae59')).toBe('EAE59');
  expect(normalizePrefix('EAE59')).toBe('EAE59');
  for (const bad of ['EAE5', 'EAE591', 'EAE5G', 'eae5 ', '', '12-45']) {
    expect(normalizePrefix(bad)).toBeNull();
  }
  // Every hash of the bucket sorts inside [prefix, end), the next bucket's after it.
  const end = rangeEnd('EAE59');
  expect('EAE59FFFF' < end && 'EAE59' <= 'EAE590000' && end < 'EAE5A').toBe(true);
});

it('writes a listed account as its suffix, count and status', () => {
  const line = rangeLine({
    keyHash: keyHash('014:1234567890'),
    verifiedCount: 3,
    status: 'reported',
  });
  expect(line).toBe('6E94E87546CD1568C01245F7A9CBA75B9A550BCE0F8F2700054C372249F:3:reported\n');
});

it('pads to 64 lines plus 0–63 more, the same bytes for the same state', () => {
  const listed = rangeLine({
    keyHash: keyHash('014:1234567890'),
    verifiedCount: 1,
    status: 'reported',
  });
  const counts = new Set<number>();
  for (let i = 0; i < 200; i++) {
    const prefix = i.toString(16).toUpperCase().padStart(5, '0');
    const rendered = renderRange(key, prefix, listed, 1);
    const lines = linesOf(rendered.body);
    expect(lines.length).toBeGreaterThanOrEqual(64);
    expect(lines.length).toBeLessThanOrEqual(127);
    expect(lines[0]).toBe(listed.trimEnd());
    for (const padding of lines.slice(1)) expect(padding).toMatch(/^[0-9A-F]{59}:0:clear$/);
    counts.add(lines.length);
    const again = renderRange(key, prefix, listed, 1);
    expect(again.body.equals(rendered.body) && again.etag === rendered.etag).toBe(true);
  }
  // The count varies between buckets (a fixed count would be no padding at all).
  expect(counts.size).toBeGreaterThan(20);
});

it('draws new padding and a new ETag when the bucket changes', () => {
  const before = renderRange(key, 'EAE59', '', 0);
  const line = rangeLine({
    keyHash: keyHash('014:1234567890'),
    verifiedCount: 1,
    status: 'reported',
  });
  const after = renderRange(key, 'EAE59', line, 1);
  expect(after.etag).not.toBe(before.etag);
  expect(after.body.subarray(line.length, line.length + 59)).not.toEqual(
    before.body.subarray(0, 59),
  );
  expect(renderRange(Buffer.alloc(32, 8), 'EAE59', '', 0).etag).not.toBe(before.etag);
});

it('keeps every listed account, however many, and still pads', () => {
  let lines = '';
  for (let i = 0; i < 100; i++) {
    lines += rangeLine({ keyHash: keyHash(`014:${i}`), verifiedCount: i + 1, status: 'reported' });
  }
  const body = linesOf(renderRange(key, 'EAE59', lines, 100).body);
  expect(body.length).toBeGreaterThanOrEqual(100);
  expect(body.length).toBeLessThanOrEqual(163);
});
