// A date on a public page: as people read it, with the machine-readable
// value beside it for assistive technology and translation tools.
import { formatDate, isoDate } from './format.ts';
import type { PageContext } from './layout.tsx';

export function Time({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time datetime={isoDate(date)}>{formatDate(ctx.lang, date)}</time>;
}
