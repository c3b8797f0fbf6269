// The bulk import format (docs/api.md, "Command line"): UTF-8 CSV with a
// header row `source_id,provider,number,category,reported_at[,holder_name]`,
// one verified report from an outside source per row. Reading streams and
// keeps nothing but the current record, so a file of any size fits in memory;
// every row is checked here, so what reaches the database is already valid.
import type { Readable } from 'node:stream';
import { toAccountRef, type AccountRef } from '../shared/account-number.ts';
import { isCategoryCode, type CategoryCode } from '../shared/categories.ts';
import { restoreCell } from '../shared/csv.ts';
import { isAppError } from '../shared/errors.ts';
import { CsvSyntaxError, readCsvRecords, type CsvPosition } from '../shared/csv-records.ts';

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
type ColumnIndexes = Readonly<Record<Column, number | undefined>>;

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
  return {
    source_id: indexes.get('source_id'),
    provider: indexes.get('provider'),
    number: indexes.get('number'),
    category: indexes.get('category'),
    reported_at: indexes.get('reported_at'),
    holder_name: indexes.get('holder_name'),
  };
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

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Date.UTC would roll 31 February over into March, and read the year 95 as
 * 1995: only a real date of a four-digit year has a time.
 */
function utcTime(year: number, month: number, day: number): number | undefined {
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined;
  return Date.UTC(year, month - 1, day);
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

/** A field's value: trimmed, and read back from the spreadsheet-safe form the export writes. */
function fieldAt(record: readonly string[], index: number | undefined): string {
  return index === undefined ? '' : restoreCell((record[index] ?? '').trim());
}

/** Checks one record against the header's columns: a row ready to load, or why it is not. */
function validateRecord(
  record: readonly string[],
  columns: ColumnIndexes,
  width: number,
  line: number,
  now: Date,
): ParsedRow {
  try {
    if (record.length !== width) {
      reject(`expected ${width} columns as in the header, found ${record.length}`);
    }
    const row: ImportRow = {
      sourceId: sourceIdOf(fieldAt(record, columns.source_id)),
      account: accountOf(fieldAt(record, columns.provider), fieldAt(record, columns.number)),
      category: categoryOf(fieldAt(record, columns.category)),
      reportedAt: reportedAtOf(fieldAt(record, columns.reported_at), now),
      holderName: holderNameOf(fieldAt(record, columns.holder_name)),
    };
    return { ok: true, row };
  } catch (error) {
    if (error instanceof RowError) return { ok: false, problem: { line, reason: error.message } };
    throw error;
  }
}

/** How far reading has got: bytes taken in, updated chunk by chunk. */
export type ReadPosition = CsvPosition;

/**
 * Reads the file record by record: each data row comes out checked, as a
 * row or a problem. A wrong header or broken CSV throws ImportFileError.
 */
export async function* readImportRows(
  input: Readable,
  now: Date,
  position: ReadPosition = { bytes: 0 },
): AsyncGenerator<ParsedRow, void, undefined> {
  let columns: ColumnIndexes | undefined;
  let width = 0;
  try {
    for await (const { fields, line } of readCsvRecords(input, { maxRecordSize }, position)) {
      if (columns) {
        yield validateRecord(fields, columns, width, line, now);
      } else {
        columns = columnIndexes(fields, line);
        width = fields.length;
      }
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new ImportFileError(error.line, `malformed CSV: ${error.reason}`);
    }
    throw error;
  }
  if (!columns) throw new ImportFileError(1, `empty file; expected the header ${expectedHeader}`);
}
