// Every CSV cekrek writes (the export, and the open data files) goes through
// here, so that it is safe to open in a spreadsheet: a cell a spreadsheet
// would take for a formula (OWASP's "CSV injection": one that begins with
// = + - @, a tab or a carriage return) gets an apostrophe in front, which
// spreadsheets read as "this is text". The full-width = + - @ count too:
// some spreadsheets fold them into the ASCII ones.
//
// The rule is reversible, so `cekrek import` reads an exported file back to
// exactly what was exported:
//   writing: a cell beginning with a trigger character, or with an
//            apostrophe, gets one apostrophe in front (neutralizeCell);
//   reading: one leading apostrophe is removed when the character after it
//            is a trigger character or an apostrophe (restoreCell).
// An apostrophe before anything else is the value's own and stays.

/** Characters that make a spreadsheet read a cell as a formula when it begins with one. */
export const formulaTriggers: ReadonlySet<string> = new Set([
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\uFF1D', // ＝
  '\uFF0B', // ＋
  '\uFF0D', // －
  '\uFF20', // ＠
]);

const textMark = "'";

function needsMark(first: string | undefined): boolean {
  return first !== undefined && (first === textMark || formulaTriggers.has(first));
}

/** The cell as written: a formula-looking value (or one beginning with the mark) gets the mark. */
export function neutralizeCell(value: string): string {
  return needsMark(value[0]) ? textMark + value : value;
}

/** The value of a cell neutralizeCell wrote; any other cell is returned unchanged. */
export function restoreCell(cell: string): string {
  return cell[0] === textMark && needsMark(cell[1]) ? cell.slice(1) : cell;
}

/** One cell: neutralized, then quoted only where RFC 4180 needs it (and around edge spaces). */
export function csvField(value: string): string {
  const cell = neutralizeCell(value);
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** One CSV record, with its line break. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}
