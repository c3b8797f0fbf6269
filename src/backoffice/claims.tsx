// Claims as the staff queues show them. A record (a report, a registration)
// is claimed by one operator for a while, so that two never work on the same
// one; the pages say who holds what and until when, offer to claim and
// release, and explain a change refused because someone was quicker.
import type { ComponentChildren } from 'preact';
import { ClockIcon, WarningIcon } from '../http/icons.tsx';
import { href } from '../http/layout.tsx';
import { problemTitle, t, type MessageKey } from '../shared/messages.ts';
import type { OperatorsService } from '../operators/operators.service.ts';
import type { Clock } from '../shared/clock.ts';
import { CsrfField, type BackOfficeContext } from './layout.tsx';
import { FlagList } from './queue.tsx';
import { Time, type AgeWords } from './time.tsx';
import type { Lang } from '../shared/i18n.ts';

/** Operators by id, for "who holds the claim" and "who decided". */
export type OperatorNames = ReadonlyMap<number, string>;

export async function operatorNames(operators: OperatorsService): Promise<OperatorNames> {
  return new Map((await operators.list()).map((o) => [o.id, o.email]));
}

/** An operator's e-mail address, or their number when the list no longer has them. */
export function operatorLabel(names: OperatorNames, id: number): string {
  return names.get(id) ?? `#${id}`;
}

/** What a page needs to say who did what and when: its context, the names, the time. */
export interface StaffView {
  readonly ctx: BackOfficeContext;
  readonly names: OperatorNames;
  readonly now: Date;
}

export async function staffView(
  ctx: BackOfficeContext,
  operators: OperatorsService,
  clock: Clock,
): Promise<StaffView> {
  return { ctx, names: await operatorNames(operators), now: clock.now() };
}

/** How a page words a claim: the reader themself, nobody, and "until". */
export interface ClaimWords {
  readonly you: MessageKey;
  readonly none: MessageKey;
  readonly until: MessageKey;
}

/** How a queue words claims and ages. */
export type QueueWords = ClaimWords & AgeWords;

/** The facts a queue entry ends with: why it was flagged (if it was), and who holds it. */
export function FlagAndClaimFacts(props: {
  view: StaffView;
  words: QueueWords;
  record: Claimable & { flagged: boolean; flagReasons: readonly string[] };
  labels: { flagged: string; claim: string };
  flagText: (lang: Lang, reason: string) => string;
}) {
  const { view, record, labels } = props;
  return (
    <>
      {record.flagged && (
        <>
          <dt>{labels.flagged}</dt>
          <dd>
            <FlagList ctx={view.ctx} reasons={record.flagReasons} text={props.flagText} />
          </dd>
        </>
      )}
      <dt>{labels.claim}</dt>
      <dd>
        <ClaimText view={view} words={props.words} record={record} />
      </dd>
    </>
  );
}

/** An operator's name, or "you" for the one reading. */
export function operatorName(view: StaffView, words: ClaimWords, id: number): string {
  if (id === view.ctx.session?.operator.id) return t(view.ctx.lang, words.you);
  return operatorLabel(view.names, id);
}

export interface Claimable {
  readonly claimedBy: number | null;
  readonly claimedUntil: Date | null;
}

/** A claim that still keeps other operators off, or null. */
export function activeClaim(record: Claimable, now: Date): { by: number; until: Date } | null {
  const { claimedBy, claimedUntil } = record;
  if (claimedBy === null || claimedUntil === null || claimedUntil <= now) return null;
  return { by: claimedBy, until: claimedUntil };
}

/** Whether someone other than the reader holds it now. */
export function heldByOther(view: StaffView, record: Claimable): boolean {
  const claim = activeClaim(record, view.now);
  return claim !== null && claim.by !== view.ctx.session?.operator.id;
}

/** "Nobody", or "someone, until 14.30". */
export function ClaimText(props: { view: StaffView; words: ClaimWords; record: Claimable }) {
  const { view, words } = props;
  const { ctx } = view;
  const claim = activeClaim(props.record, view.now);
  if (!claim) return <>{t(ctx.lang, words.none)}</>;
  return (
    <>
      {`${operatorName(view, words, claim.by)}, ${t(ctx.lang, words.until)} `}
      <Time ctx={ctx} date={claim.until} />
    </>
  );
}

/** A form that is only a button (claim, release, take): it posts with the CSRF token. */
export function PostButton(props: { ctx: BackOfficeContext; action: string; label: string }) {
  const { ctx } = props;
  return (
    <form method="post" action={href(ctx, props.action)}>
      <CsrfField ctx={ctx} />
      <button type="submit" class="button button-secondary">
        {props.label}
      </button>
    </form>
  );
}

/** A button with a line above it saying what it does; the line describes the button. */
export function ActionForm(props: {
  ctx: BackOfficeContext;
  action: string;
  label: string;
  hint: string;
  secondary?: boolean;
}) {
  const { ctx, action } = props;
  const hintId = `${action.split('/').at(-1)}-hint`;
  return (
    <form class="action-form" method="post" action={href(ctx, action)}>
      <CsrfField ctx={ctx} />
      <p class="hint" id={hintId}>
        {props.hint}
      </p>
      <button
        type="submit"
        class={props.secondary ? 'button button-secondary' : 'button'}
        aria-describedby={hintId}
      >
        {props.label}
      </button>
    </form>
  );
}

const cautionIcons = { clock: ClockIcon, warning: WarningIcon } as const;

/** Something to mind before acting: held by another, overdue, to be checked again. */
export function CautionNotice(props: {
  icon: keyof typeof cautionIcons;
  children: ComponentChildren;
}) {
  const Icon = cautionIcons[props.icon];
  return (
    <div class="notice notice-caution">
      <Icon />
      <div>
        <p>{props.children}</p>
      </div>
    </div>
  );
}

/** The refusals an operator can run into on a stale page; shown on the record, not as an error page. */
export const claimConflicts = ['already_decided', 'already_claimed'] as const;
export type ClaimConflict = (typeof claimConflicts)[number];

export function isClaimConflict(code: string): code is ClaimConflict {
  return (claimConflicts as readonly string[]).includes(code);
}

/** Why the change was refused, focused on load so that it is read first. */
export function ConflictNotice(props: {
  ctx: BackOfficeContext;
  conflict: ClaimConflict;
  text: string;
}) {
  return (
    <section
      class="notice notice-caution"
      role="alert"
      aria-labelledby="conflict-title"
      tabIndex={-1}
      autofocus
    >
      <WarningIcon />
      <div>
        <h2 id="conflict-title" class="form-title">
          {problemTitle(props.ctx.lang, props.conflict)}
        </h2>
        <p>{props.text}</p>
      </div>
    </section>
  );
}
