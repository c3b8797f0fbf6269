// Reading a list's filter form from the query: every field trimmed and cut
// to its length (a submitted form sends them all; empty means "any"), and
// the faults collected per field in the page's language.
import type { PageContext } from '../http/layout.tsx';
import { t, type MessageKey } from '../shared/messages.ts';
import type { FormError } from './layout.tsx';

/** One query parameter as text: trimmed and cut to `max`; empty when absent. */
export function queryText(query: Record<string, unknown>, name: string, max: number): string {
  const raw = query[name];
  return typeof raw === 'string' ? raw.trim().slice(0, max) : '';
}

export function readFilterValues<F extends string>(
  query: Record<string, unknown>,
  fields: readonly F[],
  maxLengths: Readonly<Record<F, number>>,
): Record<F, string> {
  return Object.fromEntries(fields.map((f) => [f, queryText(query, f, maxLengths[f])])) as Record<
    F,
    string
  >;
}

/** The faults of a filter, and the one way to add one. */
export function filterFaults<F extends string>(ctx: PageContext) {
  const errors: FormError[] = [];
  const fail = (field: F, key: MessageKey) => {
    errors.push({ field, message: t(ctx.lang, key) });
  };
  return { errors, fail };
}
