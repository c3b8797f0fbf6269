// What every receipt shares (report, seller registration, normalization): the
// ticket and its tracking code, the warning to keep the tracking link with
// the full address written out to copy (styled so that it is never cut off),
// what happens next, and the page's sending, which keeps the tracking code
// through a change of language.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { t, type MessageKey } from '../shared/messages.ts';
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

export interface SaveTrackingLinkProps {
  readonly title: string;
  readonly text: string;
  readonly linkText: string;
  /** The tracking page's path, with the ticket and the token. */
  readonly path: string;
  /** The site's public origin, for the address written out. */
  readonly origin: string;
}

export function SaveTrackingLink({ title, text, linkText, path, origin }: SaveTrackingLinkProps) {
  return (
    <div class="notice notice-caution receipt-save">
      <WarningIcon />
      <div>
        <h2>{title}</h2>
        <p>{text}</p>
        <p>
          <a class="tracking-link" href={path}>
            {linkText}
          </a>
        </p>
        <p>
          <code class="token">{new URL(path, origin).toString()}</code>
        </p>
      </div>
    </div>
  );
}

export interface TicketFactsProps {
  readonly submitted: Submitted;
  readonly labels: { readonly ticket: string; readonly token: string };
  /** Ids of the two codes, where a page points at them. */
  readonly ids?: { readonly ticket: string; readonly token: string };
  /** More facts, after the codes. */
  readonly children?: ComponentChildren;
}

export function TicketFacts({ submitted, labels, ids, children }: TicketFactsProps) {
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
        <code class="token" id={ids?.token}>
          {submitted.trackingToken}
        </code>
      </dd>
      {children}
    </dl>
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
}

export function Receipt({ heading, facts, save, mail, next, home }: ReceiptProps) {
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
