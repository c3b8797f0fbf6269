// What the public forms (report, seller registration, normalization) share
// beyond their fields: the state a form page is drawn from, the reader that
// keeps a copy of what was sent while the body goes by, the refused form that
// comes back as it was typed, its error summary, the form page's sending, and
// the routes every form has. Each form keeps its own fields, texts and pages
// and hands them in.
import type { Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { isAppError, type AppError, type ErrorCode, type FieldError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import {
  problemDetail,
  problemTitle,
  t,
  translateReason,
  type MessageKey,
} from '../shared/messages.ts';
import { providers } from '../shared/providers.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { withWait } from '../shared/wait.ts';
import { ErrorIcon } from './icons.tsx';
import { href, pageContext, sendPage, type PageContext } from './layout.tsx';
import { statusByCode } from './problems.ts';
import { countAccepted, requireAllowance } from './replies.ts';

/** A repeated query parameter counts by its first value; anything else is empty. */
export function text(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

// ---------------------------------------------------------------------------
// The form's state

export interface FormProblem {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
}

export interface FormState<V> {
  readonly values: V;
  /** Every field at fault, in page order. */
  readonly errors: readonly FieldError[];
  /** Why the form was refused when no field is at fault (a duplicate, the rate limit, …). */
  readonly problem?: FormProblem;
  readonly status: number;
}

/** A form's fields in the order the page shows them. */
export interface PageOrder {
  /** Whether the field is on the page, so that an error can link to it. */
  readonly has: (field: string) => boolean;
  /** The errors in the order of their fields; errors of no field last. */
  readonly sort: (errors: readonly FieldError[]) => FieldError[];
}

export function pageOrder(fields: readonly string[]): PageOrder {
  const rank = (e: FieldError) =>
    fields.includes(e.field) ? fields.indexOf(e.field) : fields.length;
  return {
    has: (field) => fields.includes(field),
    sort: (errors) => [...errors].sort((a, b) => rank(a) - rank(b)),
  };
}

/** The first error of each field, in words: what the field shows above its control. */
export function fieldMessages(lang: Lang, errors: readonly FieldError[]): Map<string, string> {
  const messages = new Map<string, string>();
  for (const e of errors) {
    if (!messages.has(e.field)) messages.set(e.field, translateReason(lang, e.reason));
  }
  return messages;
}

/** The size of the largest file a form takes, as its hint says it: whole megabytes. */
export function wholeMegabytes(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}

/** `?bank=014&nomor=…` (a result page's link): the account, chosen already. */
export function prefilledAccount(
  query: Readonly<Record<string, unknown>>,
  names: { readonly provider: readonly string[]; readonly number: readonly string[] } = {
    provider: ['bank', 'ewallet'],
    number: ['nomor'],
  },
): { provider?: string; number?: string } {
  const first = (params: readonly string[]) =>
    params.map((p) => text(query[p])).find(Boolean) ?? '';
  const provider = providers.resolveLabel(first(names.provider));
  const number = first(names.number).slice(0, 40);
  return {
    ...(provider ? { provider: provider.code } : {}),
    ...(number ? { number } : {}),
  };
}

// ---------------------------------------------------------------------------
// Reading what was sent

export interface SentForm {
  readonly values: ReadonlyMap<string, string>;
  /** Files that came with the form, by field; undefined when the body was never read. */
  readonly files: ReadonlyMap<string, number> | undefined;
}

/** A form refused before its body was read (by the rate limit). */
const unreadForm: SentForm = { values: new Map(), files: undefined };

/**
 * The forms are read by the feature's filing function, which throws at the
 * first problem, and what it had read is gone with it. A copy of the text
 * fields and a count of the files, taken as the parts go by, lets a refused
 * form come back as it was typed. Fields after a refused file are never read
 * (the rest of the body is left unread), which is why files come last.
 */
export function watchParts(request: FastifyRequest): SentForm {
  const values = new Map<string, string>();
  const files = new Map<string, number>();
  const parts = request.parts.bind(request);
  request.parts = (options) => recorded(parts(options), values, files);
  return { values, files };
}

async function* recorded(
  parts: AsyncIterable<Multipart>,
  values: Map<string, string>,
  files: Map<string, number>,
) {
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') values.set(part.fieldname, part.value);
      if (part.fieldname === 'provider') part.value = chosenProvider(part.value);
    } else if (part.filename !== '') {
      files.set(part.fieldname, (files.get(part.fieldname) ?? 0) + 1);
    }
    yield part;
  }
}

/**
 * The bank chooser (BankChooser) sends the label picked from its list,
 * "014 · BCA — Bank Central Asia": the filing reads it as the code, like the
 * home page's check does. Anything else goes on as typed.
 */
function chosenProvider(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return providers.resolve(value.trim()) ? value : (providers.resolveLabel(value)?.code ?? value);
}

/**
 * Reads the body for its text fields alone (watchParts keeps them), letting
 * the files go by unstored: a form refused at the rate limit comes back with
 * everything typed in it. A body that cannot be read keeps what was read.
 */
async function readTextFields(request: FastifyRequest): Promise<void> {
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') part.file.resume();
    }
  } catch {
    // What was read before the fault is kept; the refusal stays the rate limit's.
  }
}

/** The text fields of a form, as they were sent. */
export function valuesOf<F extends string>(
  sent: SentForm,
  fields: readonly F[],
): Partial<Record<F, string>> {
  const values: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const value = sent.values.get(field);
    if (value !== undefined) values[field] = value;
  }
  return values;
}

/**
 * The fields at fault in a refusal: those of a validation, and the file a
 * size or a type refused (see multipart.http.ts); none for any other code.
 */
export function fieldErrorsOf(error: AppError): readonly FieldError[] {
  return error.code === 'validation_failed' || fileRefusals.has(error.code) ? error.errors : [];
}

const fileRefusals: ReadonlySet<ErrorCode> = new Set([
  'payload_too_large',
  'unsupported_file_type',
]);

/**
 * Refusals that the same form, sent again, cannot overcome: the rate limit,
 * a duplicate, a request already pending, an account with nothing to
 * normalize. Browsers drop the files of a refused form; asking for them again
 * is only worth it when sending again can succeed.
 */
const finalRefusals: ReadonlySet<ErrorCode> = new Set([
  'rate_limited',
  'duplicate_report',
  'already_registered',
  'already_pending',
  'nothing_to_normalize',
]);

/** Whether the form, corrected and sent again with its files, can be accepted. */
export function canResubmit(error: AppError): boolean {
  return !finalRefusals.has(error.code);
}

/**
 * A refused form: what was typed, every field at fault in page order
 * (`errors`: fieldErrorsOf(error), with what the form adds, such as files to
 * choose again), and the problem when no field is at fault.
 */
export function refusedState<V>(
  error: AppError,
  values: V,
  errors: readonly FieldError[],
  order: PageOrder,
): FormState<V> {
  return {
    values,
    errors: order.sort(errors),
    ...(error.code === 'validation_failed'
      ? {}
      : { problem: { code: error.code, params: { ...error.params } } }),
    status: statusByCode[error.code],
  };
}

// ---------------------------------------------------------------------------
// Error summaries

/** Focused on load (autofocus, no script), so screen readers start at what to fix. */
export function ErrorSummary({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="error-summary" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
      <h2 id="error-summary-title">
        <ErrorIcon />
        {title}
      </h2>
      {children}
    </section>
  );
}

export interface FormErrorSummaryProps {
  readonly ctx: PageContext;
  readonly state: Pick<FormState<unknown>, 'errors' | 'problem'>;
  readonly order: PageOrder;
  /** The title when fields are at fault. */
  readonly title: string;
  /** A field's label, which each error in the list starts with. */
  readonly label?: (field: string) => string;
  /** What more the form has to say. */
  readonly children?: ComponentChildren;
}

/** A refused form's summary: the problem, or every field at fault linked to its field. */
export function FormErrorSummary(props: FormErrorSummaryProps) {
  const { ctx, state, order, title, children } = props;
  const { problem } = state;
  if (!problem && state.errors.length === 0) return null;
  return (
    <ErrorSummary title={problem ? problemTitle(ctx.lang, problem.code) : title}>
      {problem && (
        <p>{problemDetail(ctx.lang, problem.code, withWait(ctx.lang, problem.params))}</p>
      )}
      {state.errors.length > 0 && (
        <ul>
          {state.errors.map((e) => (
            <li key={`${e.field}:${e.reason}`}>
              {order.has(e.field) ? (
                <a href={`#${e.field}`}>{namedError(ctx.lang, e, props.label)}</a>
              ) : (
                translateReason(ctx.lang, e.reason)
              )}
            </li>
          ))}
        </ul>
      )}
      {children}
    </ErrorSummary>
  );
}

/** "Nama pemilik rekening: Wajib diisi.": an error in a summary says which field it is. */
function namedError(lang: Lang, e: FieldError, label?: (field: string) => string): string {
  const message = translateReason(lang, e.reason);
  return label ? t(lang, 'form.fieldError', { label: label(e.field), message }) : message;
}

/** Errors of fields whose ids are their names, each linked to its field. */
export function LinkedErrors<F extends string>(props: {
  errors: ReadonlyMap<F, string>;
  label: (field: F) => string;
}) {
  return (
    <ul>
      {[...props.errors].map(([field, message]) => (
        <li key={field}>
          <a href={`#${field}`}>{`${props.label(field)}: ${message}`}</a>
        </li>
      ))}
    </ul>
  );
}

/** Both codes of a ticket are needed to look it up: a word for each one missing. */
export function missingCodes(
  lang: Lang,
  ticket: string,
  token: string,
): Map<'ticket' | 'token', string> {
  const errors = new Map<'ticket' | 'token', string>();
  if (!ticket) errors.set('ticket', t(lang, 'form.required'));
  if (!token) errors.set('token', t(lang, 'form.required'));
  return errors;
}

// ---------------------------------------------------------------------------
// The handlers' common steps

export interface FormTitles {
  readonly title: MessageKey;
  /** The title of a refused form's page, around the form's title. */
  readonly refused: MessageKey;
}

/**
 * A form page. A refused form says so in its title and, refused by the rate
 * limit, in Retry-After; a form sent back holds what someone typed about
 * themselves, and is never stored.
 */
export function sendFormPage(
  reply: FastifyReply,
  ctx: PageContext,
  state: FormState<object>,
  titles: FormTitles,
  body: ComponentChildren,
): FastifyReply {
  const failed = state.status !== 200;
  const title = failed
    ? t(ctx.lang, titles.refused, { title: t(ctx.lang, titles.title) })
    : t(ctx.lang, titles.title);
  const seconds = state.problem?.params.seconds;
  if (state.problem?.code === 'rate_limited' && seconds !== undefined) {
    void reply.header('retry-after', String(seconds));
  }
  const prefilled = Object.keys(state.values).length > 0;
  return sendPage(reply, ctx, { title, status: state.status, private: failed || prefilled }, body);
}

export interface PublicFormRoutes<S, T> {
  /** The form's address: GET shows the form, POST files it. */
  readonly path: string;
  /** The form's allowance per client (undefined when off): only accepted forms count. */
  readonly limiter: RateLimiter | undefined;
  /** Where a receipt's language switch leads: the ticket, followed (see sendReceipt). */
  readonly followPath: (ticket: string, token: string) => string;
  /** The form as the query opens it (a result page's link chooses the account). */
  readonly opened: (query: Readonly<Record<string, unknown>>) => S | Promise<S>;
  /** The form refused: why, and what was sent (its text fields, when the rate limit refused it). */
  readonly refused: (error: AppError, sent: SentForm) => S;
  /** Files the form; reads the body itself, and throws at the first problem. */
  readonly file: (request: FastifyRequest, reply: FastifyReply) => Promise<T>;
  readonly sendForm: (request: FastifyRequest, reply: FastifyReply, state: S) => FastifyReply;
  readonly sendReceipt: (
    request: FastifyRequest,
    reply: FastifyReply,
    submitted: T,
  ) => FastifyReply;
}

/**
 * The routes every public form has, in one place: the form (or, with a ticket
 * and its code, the receipt's language switch), its filing with the receipt
 * as the answer, and every refusal short of a server error (the rate limit's
 * included, which refuses before the handler runs) answered with the same
 * form, as it was typed.
 */
export function publicFormRoutes<S, T>(app: FastifyInstance, form: PublicFormRoutes<S, T>): void {
  // Pages answer errors as HTML (see wantsHtml) and stay out of the API document.
  const page = { config: { page: true }, schema: { hide: true } } as const;

  app.setErrorHandler((error, request, reply) => {
    if (
      request.method === 'POST' &&
      request.routeOptions.url === form.path &&
      isAppError(error) &&
      error.code === 'rate_limited'
    ) {
      return form.sendForm(request, reply, form.refused(error, unreadForm));
    }
    throw error;
  });

  app.get(form.path, page, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const ticket = text(query.tiket);
    const token = text(query.token);
    if (ticket && token) {
      return reply.redirect(href(pageContext(request), form.followPath(ticket, token)), 303);
    }
    return form.sendForm(request, reply, await form.opened(query));
  });

  const onSend = form.limiter ? [countAccepted(form.limiter)] : [];
  app.post(form.path, { ...page, onSend }, async (request, reply) => {
    const sent = watchParts(request);
    try {
      await requireAllowance(form.limiter, request, reply).catch(async (error: unknown) => {
        await readTextFields(request);
        throw error;
      });
      return form.sendReceipt(request, reply, await form.file(request, reply));
    } catch (error) {
      if (!isAppError(error) || statusByCode[error.code] >= 500) throw error;
      return form.sendForm(request, reply, form.refused(error, sent));
    }
  });
}
