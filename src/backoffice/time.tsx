// Moments as the back office shows them: in words for people, in ISO for
// machines (the `datetime` attribute), and the calendar days staff type into
// filters, meant in Western Indonesian Time like every back-office date.
import { formatDate, formatDateTime, isoDate } from '../http/format.ts';
import type { PageContext } from '../http/layout.tsx';
import type { Lang } from '../shared/i18n.ts';
import { t, tCount, type MessageKey } from '../shared/messages.ts';
import { isCalendarDate } from '../shared/text-input.ts';

const day = 24 * 60 * 60 * 1000;

/** A date and time: "12 Mar 2026 14.30". */
export function Time({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time datetime={isoDate(date)}>{formatDateTime(ctx.lang, date)}</time>;
}

/** A date alone, where the hour says nothing (deadlines, filing days). */
export function Day({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time datetime={isoDate(date)}>{formatDate(ctx.lang, date)}</time>;
}

/**
 * The start of a calendar day in Western Indonesian Time (UTC+7, no daylight
 * saving), the zone every back-office date is meant in; null for a date that
 * does not exist (2026-02-30).
 */
export function startOfDay(value: string): Date | null {
  return isCalendarDate(value) ? new Date(`${value}T00:00:00+07:00`) : null;
}

/** The day after a start of day: a range "to" a date takes that whole day in. */
export function nextDay(start: Date): Date {
  return new Date(start.getTime() + day);
}

/** How a queue says how long something has waited: "today", or "3 days". */
export interface AgeWords {
  readonly today: MessageKey;
  readonly days: Parameters<typeof tCount>[1];
}

/** Whole days since it came in: how long the sender has been waiting. */
function daysSince(createdAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / day));
}

export function ageText(lang: Lang, words: AgeWords, createdAt: Date, now: Date): string {
  const days = daysSince(createdAt, now);
  return days === 0 ? t(lang, words.today) : tCount(lang, words.days, days);
}

/** A queue entry's age, strong, and when it came in. */
export function Age(props: { ctx: PageContext; words: AgeWords; createdAt: Date; now: Date }) {
  const { ctx, createdAt } = props;
  return (
    <>
      <strong>{ageText(ctx.lang, props.words, createdAt, props.now)}</strong>
      <span class="small">
        {' · '}
        <Time ctx={ctx} date={createdAt} />
      </span>
    </>
  );
}
