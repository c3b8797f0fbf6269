// What the staff queues share: the counts that open a queue, the filter form
// (sent by GET, so a filtered queue has an address), the pager, and the parts
// of the records they list (badges, flags, facts, the way back).
import type { ComponentChildren } from 'preact';
import { href, type PageContext } from '../http/layout.tsx';
import { WarningIcon } from '../http/icons.tsx';
import type { Lang } from '../shared/i18n.ts';

/** A page number from the address: 1 unless it is a sensible one. */
export function pageNumber(text: string): number {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 ? Number(text) : 1;
}

/** The rows of a page of a queue (pages count from 1). */
export function pageWindow(page: number, size: number): { limit: number; offset: number } {
  return { limit: size, offset: (page - 1) * size };
}

export interface QueueCount {
  readonly label: string;
  /** The queue filtered to what is counted. */
  readonly href: string;
  readonly count: number;
}

/** How many wait where, each count a link to them; what to do about them follows. */
export function QueueCountsCard(props: {
  title: string;
  class: string;
  counts: readonly QueueCount[];
  children?: ComponentChildren;
}) {
  return (
    <section class="card" aria-labelledby="counts-title">
      <h2 id="counts-title" class="form-title">
        {props.title}
      </h2>
      <dl class={props.class}>
        {props.counts.map((count) => (
          <div key={count.label}>
            <dt>{count.label}</dt>
            <dd>
              <a href={count.href}>{count.count}</a>
            </dd>
          </div>
        ))}
      </dl>
      {props.children}
    </section>
  );
}

/** A queue's filters; "clear" is the queue's own address. */
export function FilterForm(props: {
  ctx: PageContext;
  action: string;
  title: string;
  apply: string;
  clear: string;
  /** The fields, laid out in a grid. */
  children: ComponentChildren;
  /** What follows the grid (suggestion lists, hints). */
  after?: ComponentChildren;
}) {
  const { ctx, action } = props;
  return (
    <form class="card filter-form" method="get" action={action}>
      <h2 class="form-title">{props.title}</h2>
      {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
      <div class="filter-grid">{props.children}</div>
      {props.after}
      <div class="button-row">
        <button type="submit" class="button">
          {props.apply}
        </button>
        <a class="button button-secondary" href={href(ctx, action)}>
          {props.clear}
        </a>
      </div>
    </form>
  );
}

export function Pager(props: {
  label: string;
  page: number;
  /** A full page came back: there may be more. */
  hasNext: boolean;
  pageHref: (page: number) => string;
  previous: string;
  next: string;
  /**
   * Shown only when there is another page, with an empty place where
   * "previous" would be, so that "next" keeps its side.
   */
  holdPlace?: boolean;
}) {
  const { page, hasNext, holdPlace } = props;
  if (holdPlace && page <= 1 && !hasNext) return null;
  return (
    <nav class="pager" aria-label={props.label}>
      {page > 1 ? <a href={props.pageHref(page - 1)}>{props.previous}</a> : holdPlace && <span />}
      {hasNext && <a href={props.pageHref(page + 1)}>{props.next}</a>}
    </nav>
  );
}

export type Tone = 'ok' | 'warn' | 'off';

export function Badge({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

/** Why a record was flagged, in words. */
export function FlagList(props: {
  ctx: PageContext;
  reasons: readonly string[];
  text: (lang: Lang, reason: string) => string;
}) {
  return (
    <ul class="review-flags">
      {props.reasons.map((reason) => (
        <li key={reason}>
          <WarningIcon />
          <span>{props.text(props.ctx.lang, reason)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A fact of a record, or a dash when the sender left it out. */
export function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <>
      <dt>{label}</dt>
      <dd>{empty ? '—' : children}</dd>
    </>
  );
}

/** The way back to the queue, above a record. */
export function Breadcrumb({ ctx, path, text }: { ctx: PageContext; path: string; text: string }) {
  return (
    <p class="breadcrumb">
      <a href={href(ctx, path)}>{text}</a>
    </p>
  );
}
