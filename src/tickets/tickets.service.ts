// Tickets: the number a submitter tracks a report, registration or
// normalization request by, with a tracking token only they hold, and the
// history of its statuses. One table for every kind, so tracking is one route.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, Executor } from '../db/database.ts';
import { toDate, type TicketKind } from '../db/schema.ts';
import type { Lang } from '../shared/i18n.ts';

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

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
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

export interface TrackedTicket {
  readonly ticket: string;
  readonly kind: TicketKind;
  readonly status: string;
  readonly lang: Lang;
  readonly history: readonly TicketEvent[];
}

/** Opens a ticket for a new submission, in the submitter's transaction, with its first status. */
export async function issueTicket(
  executor: Executor,
  input: { kind: TicketKind; subjectId: number; lang: Lang; status: string; at: Date },
): Promise<IssuedTicket> {
  const trackingToken = randomBytes(24).toString('base64url');
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
  const expected = Buffer.from(row?.token_hash ?? '0'.repeat(64), 'hex');
  const given = Buffer.from(tokenHash(token), 'hex');
  if (!timingSafeEqual(expected, given) || !row) return undefined;
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

/** Tracking, for the routes: the ticket and its history for whoever holds its token. */
export class TicketsService {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  track(ticket: string, token: string): Promise<TrackedTicket | undefined> {
    return trackTicket(this.#database, ticket, token);
  }
}
