// What every receipt shares (report, seller registration, normalization): the
// ticket and its tracking code, the warning to keep the tracking link with
// the full address written out to copy (styled so that it is never cut off),
// what happens next, and the page's sending, which keeps the tracking code
// through a change of language.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Lang } from '../shared/i18n.ts';
import { t, tCount, type MessageKey } from '../shared/messages.ts';
import { copyScriptHref } from './assets.ts';
import { formatDate, isoDate } from './format.ts';
import { ShieldIcon, WarningIcon } from './icons.tsx';
import { pageContext, publicOrigin, sendPage, type PageContext } from './layout.tsx';

/** What a receipt shows once: the ticket and its tracking code. */
export interface Submitted {
  readonly ticket: string;
  readonly trackingToken: string;
}

/** The tracking page of a ticket of any kind. */
export function trackingPath(ticket: string, token: string): string {
  const query = new URLSearchParams({ tiket: ticket, token });
  return `/lacak?${query.toString()}`;
}

/** Where someone who lost a tracking code asks for a new one. */
export function lostCodePath(lang: Lang): string {
  return lang === 'en' ? '/lacak/kode-baru?lang=en' : '/lacak/kode-baru';
}

export interface CopyFieldProps {
  readonly lang: Lang;
  readonly id: string;
  /** The field's accessible name. */
  readonly label: string;
  readonly value: string;
  /** The button's words: "Salin" for a code, "Salin tautan" for a link. */
  readonly copy: string;
  readonly class?: string;
}

/**
 * A code or link to keep: a read-only field (selected whole by a triple
 * click, Ctrl+A, or with copy.js a single click), and a copy button that
 * copy.js reveals, saying "copied" in a live region.
 */
export function CopyField({ lang, id, label, value, copy, class: className }: CopyFieldProps) {
  return (
    <span class="copy-field">
      <input
        type="text"
        class={`copy-value ${className ?? ''}`.trim()}
        id={id}
        value={value}
        readOnly
        aria-label={label}
        autocomplete="off"
        spellcheck={false}
        size={Math.min(value.length, 40)}
      />
      <CopyButton lang={lang} id={id} copy={copy} />
    </span>
  );
}

/** Copies the value (or text) of element `id`: hidden until copy.js shows it. */
export function CopyButton({ lang, id, copy }: { lang: Lang; id: string; copy: string }) {
  return (
    <>
      <button
        type="button"
        class="button button-secondary copy-button"
        data-copy={id}
        data-copied={t(lang, 'trackingCode.copied')}
        hidden
      >
        {copy}
      </button>
      <span class="copy-status" id={`${id}-status`} role="status" aria-live="polite" />
    </>
  );
}

/** copy.js, once per page that has a CopyField. */
export function CopyScript() {
  return <script src={copyScriptHref} defer />;
}

export interface SaveTrackingLinkProps {
  readonly lang: Lang;
  readonly title: string;
  readonly text: string;
  readonly linkText: string;
  /** The tracking page's path, with the ticket and the token. */
  readonly path: string;
  /** The site's public origin, for the address written out. */
  readonly origin: string;
}

export function SaveTrackingLink(props: SaveTrackingLinkProps) {
  const { lang, title, text, linkText, path, origin } = props;
  return (
    <div class="notice notice-caution receipt-save">
      <WarningIcon />
      <div>
        <h2>{title}</h2>
        <p>{text}</p>
        <TrackingLinkToKeep lang={lang} url={new URL(path, origin).toString()} />
        <p>
          <a class="tracking-link" href={path}>
            {linkText}
          </a>
        </p>
        <p class="hint">
          <a href={lostCodePath(lang)}>{t(lang, 'trackingCode.lost')}</a>
        </p>
      </div>
    </div>
  );
}

/** "Simpan tautan ini": the ticket and its code in one address, to bookmark or send oneself. */
export function TrackingLinkToKeep({ lang, url }: { lang: Lang; url: string }) {
  return (
    <div class="keep-link">
      <h3 id="keep-link-title">{t(lang, 'trackingCode.link')}</h3>
      <p class="hint">{t(lang, 'trackingCode.link.hint')}</p>
      {/* Written out, not in a field: a screenshot keeps the whole address. */}
      <span class="copy-field">
        <code class="token" id="tracking-link">
          {url}
        </code>
        <CopyButton lang={lang} id="tracking-link" copy={t(lang, 'trackingCode.copyLink')} />
      </span>
    </div>
  );
}

export interface TicketFactsProps {
  readonly lang: Lang;
  readonly submitted: Submitted;
  readonly labels: { readonly ticket: string; readonly token: string };
  /** Ids of the two codes, where a page points at them. */
  readonly ids?: { readonly ticket: string; readonly token: string };
  /** More facts, after the codes. */
  readonly children?: ComponentChildren;
}

export function TicketFacts({ lang, submitted, labels, ids, children }: TicketFactsProps) {
  return (
    <dl class="details facts receipt">
      <dt>{labels.ticket}</dt>
      <dd>
        <code class="ticket" id={ids?.ticket}>
          {submitted.ticket}
        </code>
      </dd>
      <dt>{labels.token}</dt>
      <dd>
        <CopyField
          lang={lang}
          id={ids?.token ?? 'tracking-code'}
          label={labels.token}
          value={submitted.trackingToken}
          copy={t(lang, 'trackingCode.copy')}
          class="token"
        />
      </dd>
      {children}
    </dl>
  );
}

export interface ExpectedDecisionProps {
  readonly lang: Lang;
  /** The review days of the ticket's kind after filing. */
  readonly by: Date;
  readonly days: number;
  /** The date has passed without a decision: said plainly, not hidden. */
  readonly late: boolean;
}

/** On the tracking page while no decision is made: when one usually comes. */
export function ExpectedDecision({ lang, by, days, late }: ExpectedDecisionProps) {
  return (
    <section class="expected-decision" aria-labelledby="expected-title">
      <h3 id="expected-title">{t(lang, 'tracking.expected.title')}</h3>
      <p>
        {tCount(lang, 'review.expected', days)}{' '}
        {late ? (
          t(lang, 'tracking.expected.late')
        ) : (
          <time datetime={isoDate(by)}>
            {t(lang, 'tracking.expected.by', { date: formatDate(lang, by) })}
          </time>
        )}
      </p>
    </section>
  );
}

interface Link {
  readonly href: string;
  readonly text: string;
}

export interface ReceiptProps {
  readonly heading: string;
  /** The codes, as TicketFacts. */
  readonly facts: ComponentChildren;
  readonly save: SaveTrackingLinkProps;
  /** What the e-mail receipt says (and does not). */
  readonly mail: string;
  readonly next: { readonly title: string; readonly text: string; readonly link?: Link };
  readonly home: Link;
  /** Days within which a decision usually comes (REPORT_REVIEW_DAYS and the like). */
  readonly reviewDays?: number;
}

export function Receipt({ heading, facts, save, mail, next, home, reviewDays }: ReceiptProps) {
  return (
    <>
      <section class="status status-seller" aria-labelledby="receipt-heading">
        <h1 class="status-heading" id="receipt-heading">
          <ShieldIcon />
          <span>{heading}</span>
        </h1>
        {facts}
      </section>
      <SaveTrackingLink {...save} />
      <p>{mail}</p>
      <section aria-labelledby="next-title">
        <h2 id="next-title">{next.title}</h2>
        <p>{next.text}</p>
        {reviewDays !== undefined && (
          <p class="expected-review">{tCount(save.lang, 'review.expected', reviewDays)}</p>
        )}
        {next.link && (
          <p>
            <a href={next.link.href}>{next.link.text}</a>
          </p>
        )}
      </section>
      <p class="actions">
        <a class="button button-secondary" href={home.href}>
          {home.text}
        </a>
      </p>
      <CopyScript />
    </>
  );
}

/**
 * A receipt page: never stored, and no Referer (the tracking code is on it).
 * Its language switch leads to the form's address with the ticket and the
 * code (see publicFormRoutes), not to an empty form: the tracking code, shown
 * only here, must survive a change of language.
 */
export function sendReceipt(
  request: FastifyRequest,
  reply: FastifyReply,
  submitted: Submitted,
  title: MessageKey,
  page: (ctx: PageContext, origin: string) => ComponentChildren,
): FastifyReply {
  const ctx: PageContext = {
    ...pageContext(request),
    query: new URLSearchParams({ tiket: submitted.ticket, token: submitted.trackingToken }),
  };
  return sendPage(
    reply,
    ctx,
    { title: t(ctx.lang, title), private: true, referrer: 'no-referrer' },
    page(ctx, publicOrigin(request)),
  );
}
