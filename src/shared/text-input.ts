// The rules for text that people and clients send: names, free text, phone
// numbers, e-mail addresses, dates, amounts, filters and tokens. One module,
// used by every form, API body, query filter and import row, so that a value
// means the same whichever way it came in.
//
// Characters fall into three kinds:
//
// - Never text, refused: NUL, a lone UTF-16 surrogate, and U+FFFD, which a
//   decoder puts where the bytes were not UTF-8. Nobody types them; they come
//   from broken or hostile clients, and PostgreSQL refuses NUL in text.
// - Invisible, removed: control characters (line breaks and tabs are kept in
//   multi-line text), bidirectional controls (which make "gpj.exe" read as
//   "exe.jpg"), zero-width and other format characters, and the blank
//   "letters" used to fake an empty name. People paste them unknowingly from
//   chat apps and documents, so they are removed rather than refused, and
//   what remains is what is counted, stored and shown.
// - Everything else: kept, in Unicode normalization form C, so that the same
//   name typed two ways is the same string.
//
// Minimum lengths count visible characters (grapheme clusters, a run of
// spaces counting as one); maximum lengths count UTF-16 code units, which is
// what storage limits are about.
import * as z from 'zod';

/** The message key of a value holding something that is never text. */
export const notTextReason = 'form.notText';

const neverText = /[\0\uFFFD]|\p{Cs}/u;

/** Whether the string is text: no NUL, no lone surrogate, no undecodable bytes. */
export function isText(value: string): boolean {
  return !neverText.test(value);
}

/**
 * Format (Cf: bidirectional controls, zero-width characters, the byte order
 * mark, soft hyphens, tags) and control characters (Cc), and the Hangul
 * fillers and the Braille blank, which render as nothing.
 */
const invisible = /[\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0\u2800]/gu;
/** The same, with line breaks and tabs, which multi-line text keeps, left out. */
const invisibleInMultiLine = /(?![\n\t])[\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0\u2800]/gu;
/** Bidirectional controls alone: U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069. */
const bidiControls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * One line of text as stored: NFC, invisible characters removed, every run of
 * white space (line breaks and tabs included) made one space, trimmed.
 */
export function cleanLine(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' ')
    .replace(invisible, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Free text as stored: NFC, line breaks made `\n`, invisible characters other
 * than line breaks and tabs removed, trailing spaces of lines and the whole
 * text trimmed.
 */
export function cleanMultiLine(value: string): string {
  return value
    .normalize('NFC')
    .replace(/\r\n?|[\v\f\u0085\u2028\u2029]/g, '\n')
    .replace(invisibleInMultiLine, '')
    .replace(/[^\S\n]+$/gm, '')
    .trim();
}

/** Removes bidirectional controls: for text stored before the rules above, when it is shown. */
export function withoutBidiControls(value: string): string {
  return value.replace(bidiControls, '');
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Characters a reader sees: grapheme clusters, each run of white space counted once. */
export function visibleLength(value: string): number {
  let count = 0;
  let inSpace = false;
  for (const { segment } of graphemes.segment(value)) {
    const space = /^\s+$/.test(segment);
    if (!space || !inSpace) count += 1;
    inSpace = space;
  }
  return count;
}

// ---------------------------------------------------------------------------
// Schemas. Error messages are message keys (src/shared/messages.ts), which
// the HTTP layer translates and the forms show beside the field.

/** Any string that is text (see isText); nothing removed. For tokens, codes and filters. */
export function safeString(options: { required?: string } = {}) {
  const base = options.required ? z.string({ error: options.required }) : z.string();
  return base.refine(isText, { error: notTextReason });
}

/** A form's checkboxes of one name: one ticked sends a string, several an array, none nothing. */
export const checkboxes = z
  .union([safeString().max(40), z.array(safeString().max(40)).max(20)])
  .optional()
  .transform((v) => (v === undefined ? [] : [v].flat()));

interface LengthRule {
  /** Visible characters at least (see visibleLength); 1 unless given. */
  readonly min?: number;
  /** UTF-16 code units at most. */
  readonly max: number;
  /** The message key when the length is wrong. */
  readonly reason: string;
  /** The message key when nothing is left; `form.required` unless given. */
  readonly required?: string;
}

function cleaned(clean: (value: string) => string, rule: LengthRule) {
  const min = rule.min ?? 1;
  const required = rule.required ?? 'form.required';
  return safeString({ required })
    .transform(clean)
    .pipe(
      z
        .string()
        .min(1, { error: required, abort: true })
        .refine((v) => visibleLength(v) >= min, { error: rule.reason })
        .refine((v) => v.length <= rule.max, { error: rule.reason }),
    );
}

function optionallyCleaned(clean: (value: string) => string, max: number, reason: string) {
  return safeString()
    .optional()
    .transform((v) => (v === undefined ? '' : clean(v)))
    .pipe(z.string().max(max, { error: reason }))
    .transform((v) => (v === '' ? null : v));
}

/** A required line of text (a name, a title), cleaned by cleanLine. */
export function lineText(rule: LengthRule) {
  return cleaned(cleanLine, rule);
}

/** A line of text that may be left out or empty: null then. */
export function optionalLineText(max: number, reason = 'form.tooLong') {
  return optionallyCleaned(cleanLine, max, reason);
}

/** Required free text (a chronology, a statement, a question), cleaned by cleanMultiLine. */
export function multiLineText(rule: LengthRule) {
  return cleaned(cleanMultiLine, rule);
}

/** Free text that may be left out or empty: null then. */
export function optionalMultiLineText(max: number, reason = 'form.tooLong') {
  return optionallyCleaned(cleanMultiLine, max, reason);
}

/** Separators people write in phone numbers: spaces, dots, dashes, brackets. */
const phoneSeparators = /[\s.\-()]/g;

/** A phone number: digits with an optional leading +, 6–20 of them, separators removed. */
export function phoneNumber() {
  return safeString({ required: 'form.required' })
    .transform((v) => cleanLine(v).replace(phoneSeparators, ''))
    .pipe(
      z
        .string()
        .min(1, { error: 'form.required' })
        .regex(/^\+?[0-9]{6,20}$/, { error: 'form.phone' }),
    );
}

/** A phone number that may be left out or empty: null then. */
export function optionalPhoneNumber() {
  return safeString()
    .optional()
    .transform((v) => (v === undefined ? '' : cleanLine(v).replace(phoneSeparators, '')))
    .pipe(z.union([z.literal(''), z.string().regex(/^\+?[0-9]{6,20}$/, { error: 'form.phone' })]))
    .transform((v) => (v === '' ? null : v));
}

/** An e-mail address, lower-cased. */
export function emailAddress() {
  return safeString({ required: 'form.required' })
    .transform((v) => cleanLine(v).toLowerCase())
    .pipe(
      z
        .string()
        .min(1, { error: 'form.required' })
        .pipe(z.email({ error: 'form.email' }).max(254, { error: 'form.email' })),
    );
}

/** Whether YYYY-MM-DD names a day on the calendar (2025-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  date.setUTCFullYear(year);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * A calendar date written YYYY-MM-DD, from `earliest` to `latest` (both
 * YYYY-MM-DD, either left open). A pattern alone would let 2025-02-30 by.
 */
export function calendarDate(options: {
  readonly format: string;
  readonly earliest?: string;
  readonly latest?: string;
  readonly future?: string;
}) {
  return safeString({ required: 'form.required' })
    .transform(cleanLine)
    .pipe(
      z
        .string()
        .min(1, { error: 'form.required', abort: true })
        .regex(/^\d{4}-\d{2}-\d{2}$/, { error: options.format, abort: true })
        .refine(isCalendarDate, { error: 'form.date.notOnCalendar', abort: true })
        .refine((v) => !options.earliest || v >= options.earliest, { error: options.format })
        .refine((v) => !options.latest || v <= options.latest, {
          error: options.future ?? options.format,
        }),
    );
}

/**
 * Whole rupiah as people write it: digits, with dots (or spaces) between
 * groups of three, an optional "Rp" before and ",-" or ",00" after. A decimal
 * part ("100.5", "1,5") is refused, never read as something else.
 */
const rupiah = /^(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:,-|,00)?$/i;

/** The amount in whole rupiah, or null when the value holds none. */
export function parseRupiah(value: string): number | null {
  const match = rupiah.exec(value);
  if (!match) return null;
  const digits = match[1]!.replace(/[. ]/g, '').replace(/^0+(?=\d)/, '');
  return digits.length <= 13 ? Number(digits) : null;
}

/** An optional amount of money in whole rupiah (see parseRupiah). */
export function optionalRupiah(reason: string) {
  return safeString()
    .optional()
    .transform((v) => (v === undefined ? '' : cleanLine(v)))
    .transform((v, ctx) => {
      if (v === '') return null;
      const amount = parseRupiah(v);
      if (amount === null) {
        ctx.addIssue({ code: 'custom', message: reason });
        return z.NEVER;
      }
      return amount;
    });
}

/** The largest id of a table row (PostgreSQL's integer). */
export const maxRowId = 2_147_483_647;

/** A row id in a path or a form: a positive integer that fits the column. */
export function rowId() {
  return z.coerce.number().int().positive().max(maxRowId);
}

// ---------------------------------------------------------------------------
// Whole inputs, for the HTTP layer: every string in parsed parameters, query
// and body is held to isText, whatever the route's own schema says.

/**
 * The paths (`a.b.0`) of the strings, object keys included, in a parsed
 * input that are not text; empty when all is well.
 */
export function notTextPaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return isText(value) ? [] : [path || 'request'];
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (!isText(key)) found.push(at);
    else found.push(...notTextPaths(inner, at));
  }
  return found;
}
