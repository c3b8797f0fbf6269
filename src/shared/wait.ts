// How long someone must wait, said the way a person says it: a limit's
// "3396 seconds" means nothing on a phone screen, "sekitar 57 menit lagi"
// does. The API keeps the exact seconds in Retry-After.
import type { Lang } from './i18n.ts';
import { t, tCount } from './messages.ts';

const minute = 60;
const hour = 60 * minute;

/**
 * "kurang dari satu menit lagi", "sekitar 40 menit lagi", "sekitar 2 jam lagi".
 * Minutes round up, so nobody is told to come back before the window ends;
 * from an hour on, hours to the nearest one.
 */
export function waitInWords(seconds: number, lang: Lang): string {
  const wait = Math.max(0, Math.ceil(seconds));
  if (wait < minute) return t(lang, 'wait.underMinute');
  if (wait < hour) return tCount(lang, 'wait.minutes', Math.ceil(wait / minute));
  return tCount(lang, 'wait.hours', Math.max(1, Math.round(wait / hour)));
}

/** A message's params with `wait` in words added, when they carry the seconds to wait. */
export function withWait(
  lang: Lang,
  params: Readonly<Record<string, string | number>> = {},
): Record<string, string | number> {
  const seconds = Number(params.seconds);
  return Number.isFinite(seconds) ? { ...params, wait: waitInWords(seconds, lang) } : { ...params };
}
