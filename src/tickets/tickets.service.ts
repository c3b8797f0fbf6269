// Tickets: the number a submitter tracks a report, registration or
// normalization request by, with a tracking token only they hold, and the
// history of its statuses. One table for every kind, so tracking is one route.
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Database, Executor } from '../db/database.ts';
import { toDate, type TicketKind } from '../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { enqueueMail, renderMail } from '../mail/mail.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { Lang } from '../shared/i18n.ts';
import type { SecretBox } from '../shared/secret-box.ts';

const prefixes: Record<TicketKind, string> = {
  report: 'LAP',
  registration: 'REG',
  normalization: 'NOR',
};

/** Crockford's base32 without I, L, O, U: read aloud over the phone without confusion. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** "LAP-7K3Q-9M2X": 40 random bits, grouped for reading. */
export function newTicketNumber(kind: TicketKind): string {
  const bytes = randomBytes(8);
  let code = '';
  for (const byte of bytes) code += alphabet[byte & 31];
  return `${prefixes[kind]}-${code.slice(0, 4)}-${code.slice(4)}`;
}

export const ticketPattern = /^(LAP|REG|NOR)-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** Accepts what people type: lower case, spaces, missing dashes. */
export function normalizeTicket(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== 11) return null;
  const ticket = `${compact.slice(0, 3)}-${compact.slice(3, 7)}-${compact.slice(7)}`;
  return ticketPattern.test(ticket) ? ticket : null;
}

/**
 * Tracking codes are read aloud to the call centre and selected with a
 * double click: letters and digits only (no dash or underscore to stop a
 * selection), without 0/O, 1/I/L and U/V, which are confused when heard.
 */
export const trackingCodeAlphabet = '23456789ABCDEFGHJKMNPQRSTWXYZ';
/** 24 symbols of 29: about 116 bits. */
const trackingCodeLength = 24;

export function newTrackingCode(): string {
  let code = '';
  for (let i = 0; i < trackingCodeLength; i++) {
    code += trackingCodeAlphabet[randomInt(trackingCodeAlphabet.length)];
  }
  return code;
}

/** What people type for a code: any case, spaces or dashes between groups, O for 0 and so on. */
export function normalizeTrackingCode(input: string): string {
  return input.trim().toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The hashes a typed code may match: as typed (codes issued before the
 * current alphabet were case-sensitive base64url), and as read by
 * normalizeTrackingCode.
 */
function candidateHashes(input: string): Buffer[] {
  const typed = input.trim();
  const normalized = normalizeTrackingCode(input);
  const hashes = [tokenHash(typed)];
  if (normalized !== typed) hashes.push(tokenHash(normalized));
  return hashes.map((hash) => Buffer.from(hash, 'hex'));
}

function matchesStoredHash(stored: string | undefined, input: string): boolean {
  const expected = Buffer.from(stored ?? '0'.repeat(64), 'hex');
  let found = false;
  // Every candidate is compared, so a miss takes as long as a hit.
  for (const candidate of candidateHashes(input)) {
    if (timingSafeEqual(expected, candidate)) found = true;
  }
  return found && stored !== undefined;
}

/** The keyed hash of the e-mail address given with a submission (never the address itself). */
export function ticketContactHash(box: SecretBox, email: string): string {
  return createHmac('sha256', box.key('ticket-contact'))
    .update(email.trim().toLowerCase(), 'utf8')
    .digest('hex');
}

export interface IssuedTicket {
  readonly ticket: string;
  readonly trackingToken: string;
}

export interface TicketEvent {
  readonly status: string;
  readonly at: Date;
  readonly note: string | null;
}

/** What a ticket belongs to, for staff: never given to the public. */
export interface TicketSubject {
  readonly ticket: string;
  readonly kind: TicketKind;
  readonly subjectId: number;
}

export interface TrackedTicket {
  readonly ticket: string;
  readonly kind: TicketKind;
  readonly status: string;
  readonly lang: Lang;
  readonly history: readonly TicketEvent[];
}

/**
 * Days within which a decision usually comes, per kind (REPORT_REVIEW_DAYS,
 * REGISTRATION_REVIEW_DAYS, NORMALIZATION_DECISION_DAYS): what receipts and
 * the tracking page tell a submitter to expect.
 */
export type ReviewDays = Readonly<Record<TicketKind, number>>;

/** Statuses that still wait for a decision; every other status is one. */
const awaitingDecision: ReadonlySet<string> = new Set([
  'submitted',
  'in_review',
  'mediation',
  'proposed',
]);

const dayMs = 24 * 60 * 60 * 1000;

/**
 * When a decision usually comes for a ticket still waiting for one: its
 * review days after it was filed. Null once decided, so nobody is promised
 * a date for what is already done.
 */
export function expectedDecisionBy(
  ticket: Pick<TrackedTicket, 'kind' | 'status' | 'history'>,
  days: ReviewDays,
): Date | null {
  const filedAt = ticket.history[0]?.at;
  if (!filedAt || !awaitingDecision.has(ticket.status)) return null;
  return new Date(filedAt.getTime() + days[ticket.kind] * dayMs);
}

/** Opens a ticket for a new submission, in the submitter's transaction, with its first status. */
export async function issueTicket(
  executor: Executor,
  input: {
    kind: TicketKind;
    subjectId: number;
    lang: Lang;
    status: string;
    at: Date;
    /** ticketContactHash of the submitter's e-mail, for a lost code. */
    contactHash?: string | null;
  },
): Promise<IssuedTicket> {
  const trackingToken = newTrackingCode();
  const ticket = newTicketNumber(input.kind);
  await executor
    .insertInto('tickets')
    .values({
      ticket,
      kind: input.kind,
      subject_id: input.subjectId,
      token_hash: tokenHash(trackingToken),
      lang: input.lang,
      created_at: input.at,
      contact_hash: input.contactHash ?? null,
    })
    .execute();
  await recordTicketEvent(executor, ticket, input.status, input.at, null);
  return { ticket, trackingToken };
}

export async function recordTicketEvent(
  executor: Executor,
  ticket: string,
  status: string,
  at: Date,
  note: string | null,
): Promise<void> {
  await executor.insertInto('ticket_events').values({ ticket, status, note, at }).execute();
}

export async function ticketOf(
  executor: Executor,
  kind: TicketKind,
  subjectId: number,
): Promise<{ ticket: string; lang: Lang } | undefined> {
  const row = await executor
    .selectFrom('tickets')
    .select(['ticket', 'lang'])
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  return row && { ticket: row.ticket, lang: row.lang === 'en' ? 'en' : 'id' };
}

/**
 * The ticket and its history, if the token is right. A wrong token and an
 * unknown ticket give the same answer (undefined), after the same work.
 */
export async function trackTicket(
  database: Database,
  ticketInput: string,
  token: string,
): Promise<TrackedTicket | undefined> {
  const ticket = normalizeTicket(ticketInput);
  const row = ticket
    ? await database.db
        .selectFrom('tickets')
        .select(['ticket', 'kind', 'token_hash', 'lang'])
        .where('ticket', '=', ticket)
        .executeTakeFirst()
    : undefined;
  if (!matchesStoredHash(row?.token_hash, token) || !row) return undefined;
  const events = await database.db
    .selectFrom('ticket_events')
    .select(['status', 'note', 'at'])
    .where('ticket', '=', row.ticket)
    .orderBy('id', 'asc')
    .execute();
  const history = events.map((e) => ({ status: e.status, note: e.note, at: toDate(e.at) }));
  return {
    ticket: row.ticket,
    kind: row.kind,
    status: history.at(-1)?.status ?? 'submitted',
    lang: row.lang === 'en' ? 'en' : 'id',
    history,
  };
}

/** The tracking page of a ticket with its code: what a receipt and a renewal mail link to. */
export function trackingUrl(publicBaseUrl: string, ticket: string, code: string): string {
  const url = new URL('/lacak', publicBaseUrl);
  url.searchParams.set('tiket', ticket);
  url.searchParams.set('token', code);
  return url.toString();
}

export interface TicketsDeps {
  readonly database: Database;
  readonly box: SecretBox;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly publicBaseUrl: string;
  /** Wakes the job worker after a mail was queued. */
  readonly wakeJobs: () => void;
}

/** Tracking for the routes, and a new code for whoever lost theirs. */
export class TicketsService {
  readonly #d: TicketsDeps;

  constructor(deps: TicketsDeps) {
    this.#d = deps;
  }

  track(ticket: string, token: string): Promise<TrackedTicket | undefined> {
    return trackTicket(this.#d.database, ticket, token);
  }

  /**
   * The report, registration or normalization request a ticket number
   * belongs to, for the back office's search (which checks the operator's
   * permission for that kind). Takes the number as people type it.
   */
  async locate(ticketInput: string): Promise<TicketSubject | undefined> {
    const ticket = normalizeTicket(ticketInput);
    if (!ticket) return undefined;
    const row = await this.#d.database.db
      .selectFrom('tickets')
      .select(['ticket', 'kind', 'subject_id'])
      .where('ticket', '=', ticket)
      .executeTakeFirst();
    return row && { ticket: row.ticket, kind: row.kind, subjectId: Number(row.subject_id) };
  }

  /**
   * Sends a new tracking code to `email` when it is the address given with
   * the ticket's submission; the old code stops working. Whether it matched
   * is never told to the asker (the caller answers the same either way),
   * only written to the audit log.
   */
  async renewCode(ticketInput: string, email: string, client: string): Promise<void> {
    const { database, box, clock, audit } = this.#d;
    const ticket = normalizeTicket(ticketInput);
    const given = ticketContactHash(box, email);
    const now = clock.now();
    const renewed = await database.db.transaction().execute(async (trx) => {
      const row = ticket
        ? await trx
            .selectFrom('tickets')
            .select(['ticket', 'lang', 'contact_hash'])
            .where('ticket', '=', ticket)
            .executeTakeFirst()
        : undefined;
      const stored = Buffer.from(row?.contact_hash ?? '0'.repeat(64), 'hex');
      const matched = timingSafeEqual(stored, Buffer.from(given, 'hex')) && !!row?.contact_hash;
      const subject = ticket ? { type: 'ticket', id: ticket } : undefined;
      const actor = { type: 'system' as const, id: null, label: 'public' };
      if (!row || !matched) {
        await audit.record(trx, {
          actor,
          action: 'ticket.code_request_unmatched',
          subject,
          ip: client,
          outcome: 'denied',
        });
        return false;
      }
      const code = newTrackingCode();
      await trx
        .updateTable('tickets')
        .set({ token_hash: tokenHash(code) })
        .where('ticket', '=', row.ticket)
        .execute();
      const lang: Lang = row.lang === 'en' ? 'en' : 'id';
      await enqueueMail(
        trx,
        {
          to: email.trim(),
          ...renderMail(
            {
              kind: 'tracking_code_renewed',
              ticket: row.ticket,
              trackingUrl: trackingUrl(this.#d.publicBaseUrl, row.ticket, code),
            },
            lang,
            { publicBaseUrl: this.#d.publicBaseUrl },
          ),
        },
        now,
        box,
      );
      await audit.record(trx, { actor, action: 'ticket.code_renewed', subject, ip: client });
      return true;
    });
    if (renewed) this.#d.wakeJobs();
  }
}

/** A decided normalization as the ticket's holder lives it: the owner's ticket, or a reporter's. */
export function normalizationDecisionOf(
  tracked: TrackedTicket,
): { party: 'owner' | 'reporter'; outcome: 'granted' | 'denied' } | null {
  if (tracked.kind === 'normalization') {
    if (tracked.status === 'granted' || tracked.status === 'denied') {
      return { party: 'owner', outcome: tracked.status };
    }
    return null;
  }
  if (tracked.kind !== 'report') return null;
  if (tracked.status === 'normalized') return { party: 'reporter', outcome: 'granted' };
  if (tracked.status === 'dispute_denied') return { party: 'reporter', outcome: 'denied' };
  return null;
}
