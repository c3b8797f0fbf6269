// Every suite that runs on both databases is declared through describeOn or
// describeEachDialect, so that without PostgreSQL its half is registered and
// counted as skipped rather than silently missing from the run.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The ways of looping over the dialects that lose a suite when PostgreSQL is unreachable. */
const looseLoops = [
  /for \(const (\w+) of dialects\) \{\s*(?!describeOn\(\1\)\()\S/,
  /\b(describe|it|test)\.each\(dialects\)/,
  /dialects\.(includes|filter|some|forEach|map)\(/,
];

describe('suites over both databases', () => {
  it('are declared with describeOn or describeEachDialect', () => {
    const files = [...testFiles(join(root, 'test')), ...testFiles(join(root, 'src'))];
    expect(files.length).toBeGreaterThan(20);
    const offenders = files
      .filter((file) => !file.endsWith('dialects.test.ts'))
      .filter((file) => looseLoops.some((loop) => loop.test(readFileSync(file, 'utf8'))))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('recognises a loop that would drop the PostgreSQL half', () => {
    const loose = 'for (const dialect of dialects) {\n  describe(`x on ${dialect}`, () => {';
    const declared = 'for (const dialect of dialects) {\n  describeOn(dialect)(`x`, () => {';
    expect(looseLoops.some((loop) => loop.test(loose))).toBe(true);
    expect(looseLoops.some((loop) => loop.test(declared))).toBe(false);
    expect(looseLoops.some((loop) => loop.test("describe.each(dialects)('x %s'"))).toBe(true);
  });
});
