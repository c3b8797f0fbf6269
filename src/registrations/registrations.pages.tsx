// The public pages of a seller registration: the form (/daftar-penjual) that
// registers an account with its three documents, the receipt that shows the
// tracking code once (tracking itself is /lacak, shared by every kind), and
// the seller's proof (/daftar-penjual/bukti): with the ticket and tracking
// code, the signed seller page, its QR code and the badge to put on a shop.
// Registering goes through fileRegistration, like the API, under the same
// rate limit, so both refuse the same things with the same messages.
import type { Multipart } from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { altchaScriptHref } from '../http/assets.ts';
import { z } from 'zod';
import { safeString } from '../shared/text-input.ts';
import { providers } from '../shared/providers.ts';
import { control, FieldFrame, ProviderSelect, Step } from '../http/form-fields.tsx';
import { ErrorIcon, InfoIcon, ShieldIcon } from '../http/icons.tsx';
import { SaveTrackingLink } from '../http/receipt.tsx';
import {
  href,
  pageContext,
  publicOrigin,
  sendPage,
  translator,
  type PageContext,
} from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import { statusByCode } from '../http/problems.ts';
import { isAppError, type AppError, type ErrorCode, type FieldError } from '../shared/errors.ts';
import {
  isMessageKey,
  problemDetail,
  problemTitle,
  t,
  translateReason,
} from '../shared/messages.ts';
import type { Lang } from '../shared/i18n.ts';
import {
  businessTypes,
  documentFields,
  registrationFields,
  type DocumentField,
  type RegistrationField,
} from './registration-input.ts';
import { badgeSize } from './badge.ts';
import { registrationPaths } from './registrations.paths.ts';
import { fileRegistration, type RegistrationFiling } from './registrations.routes.ts';
import { limitedBy } from '../http/replies.ts';
import type { SellerProof, SubmittedRegistration } from './registrations.service.ts';

// ---------------------------------------------------------------------------
// The form's state

/** The form's fields in page order. The documents come last: see watchParts. */
const formFields = [...registrationFields, ...documentFields] as const;
type FormField = (typeof formFields)[number];

type FormValues = Readonly<Partial<Record<RegistrationField, string>>>;

interface FormState {
  readonly values: FormValues;
  /** Every field at fault, in page order. */
  readonly errors: readonly FieldError[];
  /** Why the registration was refused when no field is at fault (already registered, …). */
  readonly problem?: { readonly code: ErrorCode; readonly params: Record<string, string | number> };
  /** The documents chosen were not kept: they must be chosen again. */
  readonly chooseAgain: boolean;
  readonly status: number;
}

const emptyForm: FormState = { values: {}, errors: [], chooseAgain: false, status: 200 };
const documentTypes = 'image/jpeg,image/png,image/webp,application/pdf';
const imageTypes = 'image/jpeg,image/png,image/webp';

function isFormField(field: string): field is FormField {
  return (formFields as readonly string[]).includes(field);
}

function byPageOrder(a: FieldError, b: FieldError): number {
  const rank = (e: FieldError) =>
    isFormField(e.field) ? formFields.indexOf(e.field) : formFields.length;
  return rank(a) - rank(b);
}

/** A repeated query parameter counts by its first value; anything else is empty. */
function text(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

// ---------------------------------------------------------------------------
// Reading what was sent

interface SentForm {
  readonly values: Map<string, string>;
  /** Documents that came with the form. */
  documents: number;
}

/**
 * fileRegistration reads the form itself and, on the first problem, throws
 * with what it had read. A copy of the text fields and a count of the
 * documents, taken as the parts go by, lets a refused form come back as
 * typed. Fields after a refused file are never read (the rest of the body is
 * left unread), which is why the documents are the form's last fields.
 */
function watchParts(request: FastifyRequest): SentForm {
  const sent: SentForm = { values: new Map(), documents: 0 };
  const parts = request.parts.bind(request);
  request.parts = (options) => recorded(parts(options), sent);
  return sent;
}

async function* recorded(parts: AsyncIterable<Multipart>, sent: SentForm) {
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') sent.values.set(part.fieldname, part.value);
    } else if (part.filename !== '') {
      sent.documents += 1;
    }
    yield part;
  }
}

function valuesOf(sent: SentForm): FormValues {
  const values: Partial<Record<RegistrationField, string>> = {};
  for (const field of registrationFields) {
    const value = sent.values.get(field);
    if (value !== undefined) values[field] = value;
  }
  return values;
}

function refusedForm(error: AppError, sent: SentForm): FormState {
  const fieldErrors = error.code === 'validation_failed' ? error.errors : [];
  return {
    values: valuesOf(sent),
    errors: [...fieldErrors].sort(byPageOrder),
    ...(error.code === 'validation_failed'
      ? {}
      : { problem: { code: error.code, params: { ...error.params } } }),
    // Files are never kept when a form is refused.
    chooseAgain: sent.documents > 0,
    status: statusByCode[error.code],
  };
}

// ---------------------------------------------------------------------------
// The form

interface FormView {
  readonly ctx: PageContext;
  readonly values: FormValues;
  readonly errors: ReadonlyMap<string, string>;
  readonly chooseAgain: boolean;
}

interface FieldProps {
  readonly form: FormView;
  readonly name: FormField;
  readonly optional?: boolean;
  /** The hint, when it needs values; else the field's own hint text. */
  readonly hint?: string;
  readonly children: ComponentChildren;
}

function Field({ form, name, optional = false, hint, children }: FieldProps) {
  const tr = translator(form.ctx);
  return (
    <FieldFrame
      name={name}
      label={tr(`sellerForm.${name}`)}
      hint={hint ?? tr(`sellerForm.${name}.hint`)}
      optional={optional ? tr('sellerForm.optional') : undefined}
      error={form.errors.get(name)}
    >
      {children}
    </FieldFrame>
  );
}

interface TextFieldProps {
  readonly form: FormView;
  readonly name: RegistrationField;
  readonly type?: 'text' | 'email' | 'tel';
  readonly autocomplete: string;
  readonly optional?: boolean;
  readonly inputmode?: 'text' | 'numeric' | 'tel' | 'email';
  readonly maxLength?: number;
}

function TextField(props: TextFieldProps) {
  const { form, name, type = 'text', optional = false } = props;
  return (
    <Field form={form} name={name} optional={optional}>
      <input
        {...control(form.errors, name)}
        type={type}
        value={(form.values[name] ?? '').slice(0, 300)}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        maxLength={props.maxLength}
        required={!optional}
        spellcheck={type === 'text' ? undefined : false}
      />
    </Field>
  );
}

function ProviderField({ form }: { form: FormView }) {
  const tr = translator(form.ctx);
  return (
    <Field form={form} name="provider">
      <ProviderSelect
        errors={form.errors}
        chosen={form.values.provider ?? ''}
        texts={{
          choose: tr('sellerForm.provider.choose'),
          banks: tr('sellerForm.provider.banks'),
          ewallets: tr('sellerForm.provider.ewallets'),
        }}
      />
    </Field>
  );
}

export function businessTypeName(lang: Lang, code: string | null, other?: string | null): string {
  if (!code) return '—';
  const key = `registration.businessType.${code}`;
  const name = isMessageKey(key) ? t(lang, key) : code;
  return code === 'other' && other ? `${name}: ${other}` : name;
}

function BusinessTypeField({ form }: { form: FormView }) {
  const tr = translator(form.ctx);
  const chosen = form.values.businessType ?? '';
  return (
    <Field form={form} name="businessType">
      <select {...control(form.errors, 'businessType')} required>
        <option value="" selected={chosen === ''}>
          {tr('sellerForm.businessType.choose')}
        </option>
        {businessTypes.map((code) => (
          <option key={code} value={code} selected={code === chosen}>
            {businessTypeName(form.ctx.lang, code)}
          </option>
        ))}
      </select>
    </Field>
  );
}

function DocumentInput({ form, name }: { form: FormView; name: DocumentField }) {
  const tr = translator(form.ctx);
  const hint = `${tr(`sellerForm.${name}.hint`)} ${form.chooseAgain ? tr('sellerForm.documents.again') : ''}`;
  return (
    <Field form={form} name={name} hint={hint.trim()}>
      <input
        {...control(form.errors, name)}
        type="file"
        accept={name === 'businessPermit' ? documentTypes : imageTypes}
        required
      />
    </Field>
  );
}

function RegistrationForm({ form, maxFileMb }: { form: FormView; maxFileMb: number }) {
  const { ctx } = form;
  const tr = translator(ctx);
  return (
    <form
      class="registration-form"
      method="post"
      enctype="multipart/form-data"
      action={href(ctx, registrationPaths.form)}
      aria-label={tr('sellerForm.label')}
      noValidate
      data-altcha="/api/v1/challenge"
    >
      {/* The proof of work, solved in the background by altcha.js when JavaScript runs. */}
      <input type="hidden" name="altcha" value="" />
      <p class="hint">{tr('sellerForm.required')}</p>
      <Step n={1} title={tr('sellerForm.step.account')} intro={tr('sellerForm.step.account.intro')}>
        <ProviderField form={form} />
        <TextField form={form} name="number" autocomplete="off" inputmode="numeric" />
        <TextField form={form} name="holderName" autocomplete="name" maxLength={100} />
      </Step>
      <Step n={2} title={tr('sellerForm.step.business')}>
        <TextField form={form} name="businessName" autocomplete="organization" maxLength={100} />
        <BusinessTypeField form={form} />
        <TextField
          form={form}
          name="businessTypeOther"
          autocomplete="off"
          optional
          maxLength={100}
        />
      </Step>
      <Step n={3} title={tr('sellerForm.step.owner')}>
        <div class="notice notice-info">
          <ShieldIcon />
          <div>
            <p>{tr('sellerForm.owner.privacy')}</p>
          </div>
        </div>
        <TextField form={form} name="nik" autocomplete="off" inputmode="numeric" maxLength={40} />
        <TextField form={form} name="phone" type="tel" autocomplete="tel" inputmode="tel" />
        <TextField form={form} name="email" type="email" autocomplete="email" />
      </Step>
      <Step
        n={4}
        title={tr('sellerForm.step.documents')}
        intro={tr('sellerForm.step.documents.intro', { size: maxFileMb })}
      >
        <DocumentInput form={form} name="savingsBookPhoto" />
        <DocumentInput form={form} name="idCardPhoto" />
        <DocumentInput form={form} name="businessPermit" />
        <p class="small">{tr('sellerForm.documents.privacy')}</p>
      </Step>
      <p
        id="altcha-status"
        class="altcha-status"
        aria-live="polite"
        data-working={tr('reportForm.challenge.working')}
        data-ready={tr('reportForm.challenge.ready')}
        data-unavailable={tr('reportForm.challenge.unavailable')}
      />
      <button type="submit" class="button button-block">
        {tr('sellerForm.submit')}
      </button>
      <script src={altchaScriptHref} defer />
    </form>
  );
}

function ErrorSummary({ ctx, state }: { ctx: PageContext; state: FormState }) {
  const tr = translator(ctx);
  const { problem } = state;
  // Focused on load (autofocus, no script), so screen readers start at what to fix.
  return (
    <section class="error-summary" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
      <h2 id="error-summary-title">
        <ErrorIcon />
        {problem ? problemTitle(ctx.lang, problem.code) : tr('sellerForm.errors.title')}
      </h2>
      {problem && <p>{problemDetail(ctx.lang, problem.code, problem.params)}</p>}
      {state.errors.length > 0 && (
        <ul>
          {state.errors.map((e) => (
            <li key={`${e.field}:${e.reason}`}>
              {isFormField(e.field) ? (
                <a href={`#${e.field}`}>{translateReason(ctx.lang, e.reason)}</a>
              ) : (
                translateReason(ctx.lang, e.reason)
              )}
            </li>
          ))}
        </ul>
      )}
      {state.chooseAgain && <p>{tr('sellerForm.documents.again')}</p>}
    </section>
  );
}

function FormPage(props: {
  ctx: PageContext;
  state: FormState;
  form: FormView;
  maxFileMb: number;
}) {
  const { ctx, state } = props;
  const tr = translator(ctx);
  const failed = state.errors.length > 0 || state.problem !== undefined;
  return (
    <>
      <h1>{tr('sellerForm.heading')}</h1>
      <p class="lead">{tr('sellerForm.lead')}</p>
      {failed && <ErrorSummary ctx={ctx} state={state} />}
      <RegistrationForm form={props.form} maxFileMb={props.maxFileMb} />
      <p>
        <a href={href(ctx, registrationPaths.proof)}>{tr('sellerForm.haveTicket')}</a>
      </p>
    </>
  );
}

function sendForm(
  maxFileBytes: number,
  request: FastifyRequest,
  reply: FastifyReply,
  state: FormState,
) {
  const ctx = pageContext(request);
  const failed = state.status !== 200;
  const title = failed
    ? t(ctx.lang, 'sellerForm.errors.pageTitle', { title: t(ctx.lang, 'sellerForm.title') })
    : t(ctx.lang, 'sellerForm.title');
  const messages = new Map<string, string>();
  for (const e of state.errors) {
    if (!messages.has(e.field)) messages.set(e.field, translateReason(ctx.lang, e.reason));
  }
  const seconds = state.problem?.params.seconds;
  if (state.problem?.code === 'rate_limited' && seconds !== undefined) {
    void reply.header('retry-after', String(seconds));
  }
  const prefilled = Object.keys(state.values).length > 0;
  return sendPage(
    reply,
    ctx,
    // A form sent back holds what someone typed about themselves: never stored.
    { title, status: state.status, private: failed || prefilled },
    <FormPage
      ctx={ctx}
      state={state}
      form={{ ctx, values: state.values, errors: messages, chooseAgain: state.chooseAgain }}
      maxFileMb={Math.floor(maxFileBytes / (1024 * 1024))}
    />,
  );
}

// ---------------------------------------------------------------------------
// The receipt

function trackingPath(ticket: string, token: string): string {
  return `/lacak?${new URLSearchParams({ tiket: ticket, token }).toString()}`;
}

function proofPath(ticket: string): string {
  return `${registrationPaths.proof}?${new URLSearchParams({ tiket: ticket }).toString()}`;
}

function ReceiptPage(props: {
  ctx: PageContext;
  submitted: SubmittedRegistration;
  origin: string;
}) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  const link = href(ctx, trackingPath(submitted.ticket, submitted.trackingToken));
  return (
    <>
      <section class="status status-seller" aria-labelledby="receipt-heading">
        <h1 class="status-heading" id="receipt-heading">
          <ShieldIcon />
          <span>{tr('sellerSent.heading')}</span>
        </h1>
        <dl class="details facts receipt">
          <dt>{tr('sellerSent.ticket')}</dt>
          <dd>
            <code class="ticket" id="ticket">
              {submitted.ticket}
            </code>
          </dd>
          <dt>{tr('sellerSent.token')}</dt>
          <dd>
            <code class="token" id="tracking-token">
              {submitted.trackingToken}
            </code>
          </dd>
        </dl>
      </section>
      <SaveTrackingLink
        title={tr('sellerSent.save.title')}
        text={tr('sellerSent.save.text')}
        linkText={tr('sellerSent.link')}
        path={link}
        origin={props.origin}
      />
      <p>{tr('sellerSent.mail')}</p>
      <section aria-labelledby="next-title">
        <h2 id="next-title">{tr('sellerSent.next.title')}</h2>
        <p>{tr('sellerSent.next.text')}</p>
        <p>
          <a href={href(ctx, proofPath(submitted.ticket))}>{tr('sellerSent.proof')}</a>
        </p>
      </section>
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, '/')}>
          {tr('sellerSent.home')}
        </a>
      </p>
    </>
  );
}

function sendReceipt(
  request: FastifyRequest,
  reply: FastifyReply,
  submitted: SubmittedRegistration,
) {
  // The language switch leads to the tracking page (see GET /daftar-penjual): the
  // tracking code, shown only here, must survive a change of language.
  const ctx: PageContext = {
    ...pageContext(request),
    query: new URLSearchParams({ tiket: submitted.ticket, token: submitted.trackingToken }),
  };
  return sendPage(
    reply,
    ctx,
    { title: t(ctx.lang, 'sellerSent.title'), private: true, referrer: 'no-referrer' },
    <ReceiptPage ctx={ctx} submitted={submitted} origin={publicOrigin(request)} />,
  );
}

// ---------------------------------------------------------------------------
// The seller's proof: link, QR code, badge

interface ProofState {
  readonly ticket: string;
  readonly errors: ReadonlyMap<'ticket' | 'token', string>;
  readonly proof: SellerProof | undefined;
  readonly notFound: boolean;
}

function ProofField(props: {
  ctx: PageContext;
  field: 'ticket' | 'token';
  param: string;
  value: string;
  error: string | undefined;
}) {
  const { ctx, field, error } = props;
  const tr = translator(ctx);
  return (
    <div class="field">
      <label for={field}>{tr(`sellerProof.${field}`)}</label>
      <p class="hint" id={`${field}-hint`}>
        {tr(`sellerProof.${field}.hint`)}
      </p>
      {error && (
        <p class="field-error" id={`${field}-error`}>
          <ErrorIcon />
          <span>{error}</span>
        </p>
      )}
      <input
        type="text"
        class="code-input"
        id={field}
        name={props.param}
        value={props.value.slice(0, 200)}
        autocomplete="off"
        autocapitalize={field === 'ticket' ? 'characters' : 'off'}
        spellcheck={false}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${field}-hint ${field}-error` : `${field}-hint`}
      />
    </div>
  );
}

function ProofLinks({ ctx, proof }: { ctx: PageContext; proof: SellerProof }) {
  const tr = translator(ctx);
  const links = proof.links;
  if (!links) {
    const key = `sellerProof.status.${proof.status}`;
    return (
      <section class="status status-normalized" aria-labelledby="proof-heading" role="status">
        <h2 class="status-heading" id="proof-heading">
          <InfoIcon />
          <span>{tr('sellerProof.notYet.title', { ticket: proof.ticket })}</span>
        </h2>
        <p>{isMessageKey(key) ? t(ctx.lang, key) : proof.status}</p>
      </section>
    );
  }
  const badgeAlt = tr('sellerProof.badge.alt');
  const snippet = `<a href="${links.page}"><img src="${links.badge}" alt="${badgeAlt}" width="${badgeSize.width}" height="${badgeSize.height}"></a>`;
  return (
    <section class="status status-seller seller-proof" aria-labelledby="proof-heading">
      <h2 class="status-heading" id="proof-heading">
        <ShieldIcon />
        <span>{tr('sellerProof.ready.title')}</span>
      </h2>
      <p>{tr('sellerProof.ready.text')}</p>
      <h3>{tr('sellerProof.link')}</h3>
      <p>
        <a class="seller-link" id="seller-link" href={links.page}>
          {tr('sellerProof.link.open')}
        </a>
      </p>
      <p>
        <code class="token">{links.page}</code>
      </p>
      <div class="seller-assets">
        <figure>
          <img src={links.qrCode} alt={tr('sellerProof.qr.alt')} width={200} height={200} />
          <figcaption>{tr('sellerProof.qr')}</figcaption>
        </figure>
        <figure>
          <img src={links.badge} alt={badgeAlt} width={badgeSize.width} height={badgeSize.height} />
          <figcaption>{tr('sellerProof.badge')}</figcaption>
        </figure>
      </div>
      <h3>{tr('sellerProof.embed')}</h3>
      <p class="hint">{tr('sellerProof.embed.hint')}</p>
      <pre class="seller-snippet">
        <code>{snippet}</code>
      </pre>
    </section>
  );
}

function ProofPage({ ctx, state }: { ctx: PageContext; state: ProofState }) {
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('sellerProof.heading')}</h1>
      <p class="lead">{tr('sellerProof.lead')}</p>
      {state.proof && <ProofLinks ctx={ctx} proof={state.proof} />}
      {(state.notFound || state.errors.size > 0) && (
        <section
          class="error-summary"
          aria-labelledby="error-summary-title"
          tabIndex={-1}
          autofocus
        >
          <h2 id="error-summary-title">
            <ErrorIcon />
            {state.notFound ? tr('sellerProof.notFound') : tr('sellerForm.errors.title')}
          </h2>
          {state.notFound ? (
            <p>{tr('sellerProof.notFound.text')}</p>
          ) : (
            <ul>
              {[...state.errors].map(([field, message]) => (
                <li key={field}>
                  <a href={`#${field}`}>{`${tr(`sellerProof.${field}`)}: ${message}`}</a>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {!state.proof?.links && (
        <form
          class="card"
          method="post"
          action={href(ctx, registrationPaths.proof)}
          aria-label={tr('sellerProof.form.label')}
          noValidate
        >
          <ProofField
            ctx={ctx}
            field="ticket"
            param="tiket"
            value={state.ticket}
            error={state.errors.get('ticket')}
          />
          <ProofField
            ctx={ctx}
            field="token"
            param="token"
            value=""
            error={state.errors.get('token')}
          />
          <button type="submit" class="button button-block">
            {tr('sellerProof.submit')}
          </button>
        </form>
      )}
    </>
  );
}

function sendProof(request: FastifyRequest, reply: FastifyReply, state: ProofState) {
  const ctx = pageContext(request);
  const status = state.notFound ? 404 : state.errors.size > 0 ? 400 : 200;
  return sendPage(
    reply,
    ctx,
    { title: t(ctx.lang, 'sellerProof.title'), status, private: true, referrer: 'no-referrer' },
    <ProofPage ctx={ctx} state={state} />,
  );
}

// ---------------------------------------------------------------------------
// Routes

const proofBody = z.object({
  tiket: safeString().max(200).optional(),
  token: safeString().max(200).optional(),
});

export interface RegistrationPagesOptions extends RegistrationFiling {
  /** The largest document file, which the form announces. */
  readonly maxFileBytes: number;
}

export const registrationPages: FastifyPluginAsync<RegistrationPagesOptions> = (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { registrations, maxFileBytes } = options;
  // Pages answer errors as HTML (see wantsHtml) and stay out of the API document.
  const page = { config: { page: true }, schema: { hide: true } } as const;
  const limited = limitedBy(options.submissionLimiter);

  app.addHook('onRequest', rememberLanguage);

  // The rate limit refuses before the handler runs; the form then says so itself.
  app.setErrorHandler((error, request, reply) => {
    const form = request.method === 'POST' && request.routeOptions.url === registrationPaths.form;
    if (form && isAppError(error) && error.code === 'rate_limited') {
      return sendForm(
        maxFileBytes,
        request,
        reply,
        refusedForm(error, { values: new Map(), documents: 0 }),
      );
    }
    throw error;
  });

  app.get(registrationPaths.form, page, (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const ticket = text(query.tiket);
    const token = text(query.token);
    // The receipt's language switch: the same ticket, tracked, in the other language.
    if (ticket && token) {
      return reply.redirect(href(pageContext(request), trackingPath(ticket, token)), 303);
    }
    const provider = providers.resolveLabel(text(query.bank) || text(query.ewallet));
    const number = text(query.nomor).slice(0, 40);
    return sendForm(maxFileBytes, request, reply, {
      ...emptyForm,
      values: { ...(provider ? { provider: provider.code } : {}), ...(number ? { number } : {}) },
    });
  });

  app.post(registrationPaths.form, { ...page, onRequest: limited }, async (request, reply) => {
    const sent = watchParts(request);
    try {
      return sendReceipt(request, reply, await fileRegistration(options, request, reply, 'form'));
    } catch (error) {
      if (!isAppError(error) || statusByCode[error.code] >= 500) throw error;
      return sendForm(maxFileBytes, request, reply, refusedForm(error, sent));
    }
  });

  app.get(registrationPaths.proof, page, (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    return sendProof(request, reply, {
      ticket: text(query.tiket).slice(0, 40),
      errors: new Map(),
      proof: undefined,
      notFound: false,
    });
  });

  app.post(
    registrationPaths.proof,
    { ...page, schema: { hide: true, body: proofBody } },
    async (request, reply) => {
      const ticket = (request.body?.tiket ?? '').trim();
      const token = (request.body?.token ?? '').trim();
      const errors = new Map<'ticket' | 'token', string>();
      if (!ticket) errors.set('ticket', t(request.lang, 'form.required'));
      if (!token) errors.set('token', t(request.lang, 'form.required'));
      if (errors.size > 0) {
        return sendProof(request, reply, { ticket, errors, proof: undefined, notFound: false });
      }
      const proof = await registrations.proof(ticket, token);
      return sendProof(request, reply, {
        ticket,
        errors,
        proof,
        notFound: proof === undefined,
      });
    },
  );
  return Promise.resolve();
};
