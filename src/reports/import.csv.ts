// The bulk import format (docs/api.md, "Command line"): UTF-8 CSV with a
// header row `source_id,provider,number,category,reported_at[,holder_name]`,
// one verified report from an outside source per row. Reading streams and
// keeps nothing but the current record, so a file of any size fits in memory;
// every row is checked here, so what reaches the database is already valid.
import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse, type Info } from 'csv-parse';
import { toAccountRef, type AccountRef } from '../accounts/account-number.ts';
import { isCategoryCode, type CategoryCode } from '../accounts/categories.ts';
import { isAppError } from '../shared/errors.ts';

export const importColumns = [
  'source_id',
  'provider',
  'number',
  'category',
  'reported_at',
  'holder_name',
] as const;

type Column = (typeof importColumns)[number];

const optionalColumns: ReadonlySet<Column> = new Set(['holder_name']);
const expectedHeader = 'source_id,provider,number,category,reported_at[,holder_name]';

const maxSourceIdLength = 200;
const maxHolderNameLength = 200;
/** A record longer than this is a wrong delimiter or a runaway quote, not a report. */
const maxRecordSize = 16 * 1024;
/** Clocks of the source and of this machine may disagree a little. */
const clockSkewMs = 5 * 60 * 1000;
/**
 * A bare date names a day somewhere: "today" in UTC+14 is already tomorrow
 * in UTC, so a date is refused only once it is after today everywhere.
 */
const dateOnlyLeewayMs = 14 * 60 * 60 * 1000;
/** Earlier than any online transfer anyone reports; catches mistyped years. */
const earliestReportedAt = Date.UTC(1990, 0, 1);

export interface ImportRow {
  readonly sourceId: string;
  readonly account: AccountRef;
  readonly category: CategoryCode;
  readonly reportedAt: Date;
  readonly holderName: string | null;
}

export interface RowProblem {
  readonly line: number;
  readonly reason: string;
}

export type ParsedRow =
  | { readonly ok: true; readonly row: ImportRow }
  | { readonly ok: false; readonly problem: RowProblem };

/** The file as a whole cannot be read: wrong header or broken CSV. Nothing of it is loaded. */
export class ImportFileError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'ImportFileError';
  }
}

/** Thrown by the field checks below and turned into a RowProblem for the row. */
class RowError extends Error {}

function reject(reason: string): never {
  throw new RowError(reason);
}

/** A field value fit to print in a message: short, and with control characters escaped. */
export function shown(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(short).replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Where each column is in a record; undefined for an optional column the file leaves out. */
type ColumnIndexes = (column: Column) => number | undefined;

/** Maps the header's names (any order, any case) to positions; throws on anything but the format's columns. */
function columnIndexes(header: readonly string[], line: number): ColumnIndexes {
  const indexes = new Map<Column, number>();
  const wrong = (what: string): never => {
    throw new ImportFileError(line, `wrong header: ${what}; expected ${expectedHeader}`);
  };
  header.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    const column = importColumns.find((c) => c === name);
    if (!column) wrong(`unknown column ${shown(raw)}`);
    else if (indexes.has(column)) wrong(`column ${column} twice`);
    else indexes.set(column, index);
  });
  const missing = importColumns.filter((c) => !indexes.has(c) && !optionalColumns.has(c));
  if (missing.length > 0) wrong(`missing ${missing.join(', ')}`);
  return (column) => indexes.get(column);
}

/** Control characters, markup and undecodable bytes have no place in an id or a name. */
const unsafeText = /[\p{Cc}\p{Cf}<>]/u;

function checkText(column: Column, value: string, maxLength: number): string {
  if (value.includes('\uFFFD')) reject(`${column} is not valid UTF-8`);
  if (unsafeText.test(value)) reject(`${column} contains control characters or markup`);
  if (value.length > maxLength) reject(`${column} longer than ${maxLength} characters`);
  return value;
}

function sourceIdOf(value: string): string {
  if (value === '') reject('empty source_id');
  return checkText('source_id', value, maxSourceIdLength);
}

function holderNameOf(value: string): string | null {
  if (value === '') return null;
  return checkText('holder_name', value, maxHolderNameLength).replace(/\s+/g, ' ');
}

function accountOf(provider: string, number: string): AccountRef {
  try {
    return toAccountRef(provider, number);
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === 'invalid_provider') reject(`unknown provider ${shown(provider)}`);
    reject(`invalid account number (${String(error.params.problem ?? 'invalid')})`);
  }
}

function categoryOf(value: string): CategoryCode {
  if (!isCategoryCode(value)) reject(`unknown category ${shown(value)}`);
  return value;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timePattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Date.UTC rolls 31 February over into March; a real date survives the round trip. */
function utcTime(year: number, month: number, day: number): number | undefined {
  const time = Date.UTC(year, month - 1, day);
  const back = new Date(time);
  return back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day
    ? time
    : undefined;
}

/** RFC 3339 date-time or YYYY-MM-DD (midnight UTC), in milliseconds; undefined if neither. */
export function parseReportedAt(value: string): { time: number; dateOnly: boolean } | undefined {
  const date = datePattern.exec(value);
  if (date) {
    const time = utcTime(Number(date[1]), Number(date[2]), Number(date[3]));
    return time === undefined ? undefined : { time, dateOnly: true };
  }
  const m = timePattern.exec(value);
  if (!m) return undefined;
  const day = utcTime(Number(m[1]), Number(m[2]), Number(m[3]));
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const fraction = Number(`0.${m[7] ?? '0'}`) * 1000;
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const time = day + ((hour * 60 + minute) * 60 + second) * 1000 + Math.floor(fraction) - offset;
  return { time, dateOnly: false };
}

function reportedAtOf(value: string, now: Date): Date {
  const parsed = parseReportedAt(value);
  if (!parsed) reject(`invalid reported_at ${shown(value)} (expected RFC 3339 time or YYYY-MM-DD)`);
  const latest = now.getTime() + (parsed.dateOnly ? dateOnlyLeewayMs : clockSkewMs);
  if (parsed.time > latest) reject(`reported_at ${shown(value)} is in the future`);
  if (parsed.time < earliestReportedAt) reject(`reported_at ${shown(value)} is before 1990`);
  return new Date(parsed.time);
}

/** Checks one record against the header's columns: a row ready to load, or why it is not. */
function validateRecord(
  record: readonly string[],
  columns: ColumnIndexes,
  width: number,
  line: number,
  now: Date,
): ParsedRow {
  const field = (column: Column): string => {
    const index = columns(column);
    return index === undefined ? '' : (record[index] ?? '').trim();
  };
  try {
    if (record.length !== width) {
      reject(`expected ${width} columns as in the header, found ${record.length}`);
    }
    const row: ImportRow = {
      sourceId: sourceIdOf(field('source_id')),
      account: accountOf(field('provider'), field('number')),
      category: categoryOf(field('category')),
      reportedAt: reportedAtOf(field('reported_at'), now),
      holderName: holderNameOf(field('holder_name')),
    };
    return { ok: true, row };
  } catch (error) {
    if (error instanceof RowError) return { ok: false, problem: { line, reason: error.message } };
    throw error;
  }
}

interface ParsedRecord {
  readonly record: string[];
  readonly info: Info;
}

function fileErrorOf(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const lines: unknown = error.lines;
  const message = error.message.replace(/\s*at line \d+.*$/s, '');
  return new ImportFileError(typeof lines === 'number' ? lines : 0, `malformed CSV: ${message}`);
}

/** How far reading has got, updated as records come out. */
export interface ReadPosition {
  bytes: number;
}

/**
 * Reads the file record by record: each data row comes out checked, as a
 * row or a problem. A wrong header or broken CSV throws ImportFileError.
 */
export async function* readImportRows(
  input: Readable,
  now: Date,
  position: ReadPosition = { bytes: 0 },
): AsyncGenerator<ParsedRow, void, undefined> {
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: maxRecordSize,
  });
  // Errors of either stream surface in the loop below; leaving it early closes the file.
  pipeline(input, parser, () => undefined);
  let columns: ColumnIndexes | undefined;
  let width = 0;
  try {
    for await (const chunk of parser) {
      const { record, info } = chunk as ParsedRecord;
      position.bytes = info.bytes;
      if (columns) {
        yield validateRecord(record, columns, width, info.lines, now);
      } else {
        columns = columnIndexes(record, info.lines);
        width = record.length;
      }
    }
  } catch (error) {
    throw fileErrorOf(error);
  }
  if (!columns) throw new ImportFileError(1, `empty file; expected the header ${expectedHeader}`);
}

/** Quotes a field only where RFC 4180 needs it; the whole writer, so no library is worth it. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line, with its line break. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}
