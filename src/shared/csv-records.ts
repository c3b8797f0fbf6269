// A streaming reader of RFC 4180 CSV records, made for the bulk import: a
// million-row file is read twice (checked, then loaded), and a general CSV
// library spent most of the import's time here. Plain lines (no quote, the
// great majority) are cut with indexOf and split; anything else goes through
// a character-by-character reader that knows quoted fields, doubled quotes
// and line breaks inside quotes. Text is decoded as UTF-8 with undecodable
// bytes turned into U+FFFD, so that the field checks can name them.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export interface CsvRecord {
  readonly fields: string[];
  /** The line (1-based) on which the record ends. */
  readonly line: number;
}

/** Broken CSV: an unclosed quote, text after a closing quote, an over-long record. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${reason} (line ${line})`);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvOptions {
  /** Characters one record may take, line breaks included. */
  readonly maxRecordSize: number;
}

/** Bytes of the input taken in so far, updated chunk by chunk. */
export interface CsvPosition {
  bytes: number;
}

const quote = 0x22;
const comma = 0x2c;
const lf = 0x0a;
const cr = 0x0d;

/** The reader's place in the text taken in so far. */
interface Cursor {
  text: string;
  pos: number;
  /** The line the cursor is on (1-based). */
  line: number;
  /** Whether the text holds the end of the input. */
  final: boolean;
  /** Where the next line feed at or after pos is, or -1; -2 when not looked for yet. */
  newline: number;
}

/**
 * Reads one record at the cursor, or returns undefined when the text ends
 * before the record does (more input is needed). Empty lines are skipped.
 */
function nextRecord(cursor: Cursor, options: CsvOptions): CsvRecord | undefined {
  for (;;) {
    if (cursor.pos >= cursor.text.length) return undefined;
    const { text, pos } = cursor;
    if (cursor.newline < pos && cursor.newline !== -1) cursor.newline = text.indexOf('\n', pos);
    const end = cursor.newline;
    const blank = lineBreakAt(cursor, pos);
    if (blank === -1) return undefined;
    if (blank > 0) {
      cursor.pos = pos + blank;
      cursor.line++;
      continue;
    }
    if (end !== -1) {
      const lineEnd = text.charCodeAt(end - 1) === cr ? end - 1 : end;
      if (lineEnd - pos > options.maxRecordSize) tooLong(cursor);
      const plain = text.slice(pos, lineEnd);
      if (!plain.includes('"') && !plain.includes('\r')) {
        const record = { fields: plain.split(','), line: cursor.line };
        cursor.pos = end + 1;
        cursor.line++;
        return record;
      }
    }
    return readQuoted(cursor, options);
  }
}

function tooLong(cursor: Cursor): never {
  throw new CsvSyntaxError(cursor.line, 'record longer than the limit');
}

/** Whether the character at i ends a line, and how many characters the break takes (0 if none, or -1 if unknown yet). */
function lineBreakAt(cursor: Cursor, i: number): number {
  const c = cursor.text.charCodeAt(i);
  if (c === lf) return 1;
  if (c !== cr) return 0;
  if (i + 1 < cursor.text.length) return cursor.text.charCodeAt(i + 1) === lf ? 2 : 1;
  return cursor.final ? 1 : -1;
}

/** The general reader: one record, quoted fields and all. */
function readQuoted(cursor: Cursor, options: CsvOptions): CsvRecord | undefined {
  const { text } = cursor;
  const fields: string[] = [];
  let i = cursor.pos;
  let line = cursor.line;
  for (;;) {
    let value = '';
    if (text.charCodeAt(i) === quote) {
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1) {
          if (cursor.final) throw new CsvSyntaxError(line, 'quote not closed');
          return undefined;
        }
        line += lineBreaksIn(text, from, close);
        value += text.slice(from, close);
        if (close + 1 >= text.length && !cursor.final) return undefined;
        if (text.charCodeAt(close + 1) === quote) {
          value += '"';
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      if (i < text.length && text.charCodeAt(i) !== comma && lineBreakAt(cursor, i) === 0) {
        throw new CsvSyntaxError(line, 'text after a closing quote');
      }
    } else {
      const start = i;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === comma || c === lf || c === cr) break;
        if (c === quote) throw new CsvSyntaxError(line, 'quote inside an unquoted field');
        i++;
      }
      value = text.slice(start, i);
    }
    fields.push(value);
    if (i >= text.length) {
      if (!cursor.final) return undefined;
      return finish(cursor, options, fields, line, i, 0);
    }
    if (text.charCodeAt(i) === comma) {
      // A comma at the very end leaves an empty last field, read by the next turn.
      i++;
      continue;
    }
    const width = lineBreakAt(cursor, i);
    if (width === -1) return undefined;
    return finish(cursor, options, fields, line, i, width);
  }
}

function finish(
  cursor: Cursor,
  options: CsvOptions,
  fields: string[],
  line: number,
  end: number,
  breakWidth: number,
): CsvRecord {
  if (end - cursor.pos > options.maxRecordSize) tooLong(cursor);
  cursor.pos = end + breakWidth;
  cursor.line = breakWidth > 0 ? line + 1 : line;
  cursor.newline = -2;
  return { fields, line };
}

/** Line breaks (CRLF, LF or CR) between from and to. */
function lineBreaksIn(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === lf) count++;
    else if (c === cr && text.charCodeAt(i + 1) !== lf) count++;
  }
  return count;
}

/**
 * The records of a CSV input, in order. A byte-order mark is dropped; lines
 * end in LF, CRLF or CR; empty lines are skipped. Broken CSV throws
 * CsvSyntaxError naming the line.
 */
export async function* readCsvRecords(
  input: Readable,
  options: CsvOptions,
  position: CsvPosition = { bytes: 0 },
): AsyncGenerator<CsvRecord, void, undefined> {
  const decoder = new StringDecoder('utf8');
  const cursor: Cursor = { text: '', pos: 0, line: 1, final: false, newline: -2 };
  let first = true;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    position.bytes += bytes.length;
    let text = decoder.write(bytes);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    cursor.text = cursor.text.slice(cursor.pos) + text;
    cursor.pos = 0;
    cursor.newline = -2;
    for (let record = nextRecord(cursor, options); record; record = nextRecord(cursor, options)) {
      yield record;
    }
    // What is left is the start of a record; past the limit, it can only be broken.
    if (cursor.text.length - cursor.pos > options.maxRecordSize) tooLong(cursor);
  }
  cursor.text = cursor.text.slice(cursor.pos) + decoder.end();
  cursor.pos = 0;
  cursor.newline = -2;
  cursor.final = true;
  for (let record = nextRecord(cursor, options); record; record = nextRecord(cursor, options)) {
    yield record;
  }
}
