import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, readCsvRecords } from './csv-records.ts';

type Read = { fields: string[]; line: number }[];

/** The input cut into pieces of 1 to `piece` bytes, so that records and characters straddle chunks. */
function chunked(bytes: Buffer, piece: number, random: () => number): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(random() * piece);
    parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  return parts;
}

async function read(input: string | Buffer | Buffer[], maxRecordSize = 16 * 1024): Promise<Read> {
  const parts = Array.isArray(input) ? input : [Buffer.from(input)];
  const out: Read = [];
  for await (const record of readCsvRecords(Readable.from(parts), { maxRecordSize })) {
    out.push({ fields: record.fields, line: record.line });
  }
  return out;
}

async function readOrError(parts: Buffer[]): Promise<{ records: Read; error?: string }> {
  const records: Read = [];
  try {
    for await (const r of readCsvRecords(Readable.from(parts), { maxRecordSize: 16 * 1024 })) {
      records.push({ fields: r.fields, line: r.line });
    }
    return { records };
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { records, error: error.reason };
  }
}

/** csv-parse, with the options the import used before it had its own reader. */
async function reference(text: Buffer): Promise<{ records: Read; error?: string }> {
  const records: Read = [];
  const parser = Readable.from([text]).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  try {
    for await (const chunk of parser) {
      const { record, info } = chunk as { record: string[]; info: { lines: number } };
      records.push({ fields: record, line: info.lines });
    }
    return { records };
  } catch (error) {
    return { records, error: String(error) };
  }
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const pieces = ['a', 'b', ',', '"', '\n', ' ', 'é', '😀', '""', 'x', ','];

function field(random: () => number): string {
  let text = '';
  for (let n = Math.floor(random() * 12); n > 0; n--) {
    text += pieces[Math.floor(random() * pieces.length)];
  }
  return text;
}

/** Well-formed CSV with quoted fields, quotes, commas and line breaks inside them, and blank lines. */
function wellFormed(random: () => number, lineEnd: string): string {
  const lines: string[] = [];
  for (let r = 1 + Math.floor(random() * 5); r > 0; r--) {
    const fields: string[] = [];
    for (let c = 1 + Math.floor(random() * 4); c > 0; c--) {
      const value = field(random);
      fields.push(
        /[",\n]/.test(value) || random() < 0.2 ? `"${value.replaceAll('"', '""')}"` : value,
      );
    }
    lines.push(fields.join(','));
    if (random() < 0.2) lines.push('');
  }
  const text = lines.join('\n') + (random() < 0.5 ? '\n' : '');
  return text.replaceAll('\n', lineEnd);
}

/** Anything at all from the same pieces: most of it broken. */
function anything(random: () => number, lineEnd: string): string {
  return `${field(random)}${field(random)}\n${field(random)}${field(random)}`.replaceAll(
    '\n',
    lineEnd,
  );
}

describe('CSV records', () => {
  it('read as csv-parse reads them, in any chunking, with LF line ends', async () => {
    const random = seeded(7);
    for (let k = 0; k < 3000; k++) {
      const text = Buffer.from(k % 2 ? wellFormed(random, '\n') : anything(random, '\n'));
      const ours = await readOrError(chunked(text, k % 3 ? 7 : 4096, random));
      const theirs = await reference(text);
      expect(ours.error !== undefined, text.toString()).toBe(theirs.error !== undefined);
      // csv-parse reads ahead before it fails; up to the failure both agree.
      if (theirs.error)
        expect(ours.records.slice(0, theirs.records.length)).toEqual(theirs.records);
      else expect(ours.records, text.toString()).toEqual(theirs.records);
    }
  });

  it('read as csv-parse reads them with CRLF line ends, counting CRLF as one line', async () => {
    const random = seeded(11);
    for (let k = 0; k < 3000; k++) {
      const text = Buffer.from(k % 2 ? wellFormed(random, '\r\n') : anything(random, '\r\n'));
      const ours = await readOrError(chunked(text, k % 3 ? 7 : 4096, random));
      const theirs = await reference(text);
      const fields = (records: Read) => records.map((r) => r.fields);
      expect(ours.error !== undefined, text.toString()).toBe(theirs.error !== undefined);
      if (!theirs.error)
        expect(fields(ours.records), text.toString()).toEqual(fields(theirs.records));
    }
  });

  it('names the line where each record ends, a quoted line break counted once', async () => {
    expect(await read('h1,h2\r\n"a\r\nb",c\r\n\r\nd,e\r\n')).toEqual([
      { fields: ['h1', 'h2'], line: 1 },
      { fields: ['a\r\nb', 'c'], line: 3 },
      { fields: ['d', 'e'], line: 5 },
    ]);
  });

  it('drops a byte-order mark, takes CR line ends, and keeps a last line without a break', async () => {
    expect(await read('\uFEFFa,b\rc,"d\re"\r\rf')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['c', 'd\re'], line: 3 },
      { fields: ['f'], line: 5 },
    ]);
  });

  it('keeps empty fields, and a trailing comma as one more', async () => {
    expect(await read(',a,,\n""\n')).toEqual([
      { fields: ['', 'a', '', ''], line: 1 },
      { fields: [''], line: 2 },
    ]);
  });

  it('decodes characters split across chunks, and turns undecodable bytes into U+FFFD', async () => {
    const text = Buffer.from('nama\nJosé 😀\n');
    const oneByOne = [...text].map((byte) => Buffer.from([byte]));
    expect((await read(oneByOne))[1]?.fields).toEqual(['José 😀']);
    expect((await read(Buffer.from('Jos\xe9\n', 'latin1')))[0]?.fields).toEqual(['Jos\uFFFD']);
  });

  it('refuses an unclosed quote, text after a closing quote and a quote inside a field', async () => {
    await expect(read('a\n"b,c\n')).rejects.toThrow(/quote not closed/);
    await expect(read('a\n"b"c\n')).rejects.toThrow(/text after a closing quote \(line 2\)/);
    await expect(read('a\nb"c\n')).rejects.toThrow(/quote inside an unquoted field \(line 2\)/);
  });

  it('refuses a record over the limit, with or without a line break, however it arrives', async () => {
    const long = 'x'.repeat(100);
    await expect(read(`a\n${long}\n`, 50)).rejects.toThrow(/record longer than the limit/);
    await expect(read(`a\n"${long}"\n`, 50)).rejects.toThrow(/record longer than the limit/);
    const endless = Array.from({ length: 50 }, () => Buffer.from(long));
    await expect(read(endless, 1000)).rejects.toThrow(/record longer than the limit/);
    expect(await read(`${'y'.repeat(50)}\n`, 50)).toHaveLength(1);
  });
});
