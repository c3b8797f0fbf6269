// Calendar months as 'YYYY-MM' (UTC): parsing, ranges and bounds.

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month 'YYYY-MM' from year 2000 on; undefined for anything else. */
export function parseMonth(value: string): string | undefined {
  const m = monthPattern.exec(value);
  if (!m || Number(m[1]) < 2000) return undefined;
  return value;
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

function index(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function fromIndex(i: number): string {
  const year = Math.floor(i / 12);
  return `${String(year).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export function addMonths(month: string, n: number): string {
  return fromIndex(index(month) + n);
}

/** How many months from `from` to `to`, both counted (0 when `to` is before `from`). */
export function monthSpan(from: string, to: string): number {
  return Math.max(0, index(to) - index(from) + 1);
}

/** Every month from `from` to `to`, both included, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = index(from); i <= index(to); i++) out.push(fromIndex(i));
  return out;
}

/** The month's first instant and the next month's, UTC. */
export function monthBounds(month: string): { start: Date; end: Date } {
  const i = index(month);
  const start = new Date(Date.UTC(Math.floor(i / 12), i % 12, 1));
  const end = new Date(Date.UTC(Math.floor((i + 1) / 12), (i + 1) % 12, 1));
  return { start, end };
}
