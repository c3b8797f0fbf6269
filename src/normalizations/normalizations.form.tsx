// The normalization request form, shared by the public page (/normalisasi)
// and the service-desk entry of the back office: the same fields, in the same
// order, with the same messages. Server-rendered, no JavaScript needed; a
// refused form comes back with what was typed (files must be chosen again).
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { providers } from '../shared/providers.ts';
import { statusByCode } from '../http/problems.ts';
import { control, FieldFrame, ProviderSelect, Step } from '../http/form-fields.tsx';
import { ErrorIcon, ShieldIcon } from '../http/icons.tsx';
import { translator, type PageContext } from '../http/layout.tsx';
import type { AppError, ErrorCode, FieldError } from '../shared/errors.ts';
import { problemDetail, problemTitle, translateReason } from '../shared/messages.ts';
import {
  maxEvidenceFiles,
  normalizationFields,
  normalizationFileFields,
  type NormalizationField,
  type NormalizationFileField,
} from './normalization-input.ts';

/** The form's fields in page order: the files come last (see watchParts). */
export const formFields = [...normalizationFields, ...normalizationFileFields] as const;
export type FormField = NormalizationField | NormalizationFileField;

export type FormValues = Readonly<Partial<Record<NormalizationField, string>>>;

export interface FormState {
  readonly values: FormValues;
  /** Every field at fault, in page order. */
  readonly errors: readonly FieldError[];
  /** Why a request was refused when no field is at fault (nothing to normalize, …). */
  readonly problem?: { readonly code: ErrorCode; readonly params: Record<string, string | number> };
  readonly status: number;
}

export const emptyForm: FormState = { values: {}, errors: [], status: 200 };

const fileTypes = 'image/jpeg,image/png,image/webp,application/pdf';

function isFormField(field: string): field is FormField {
  return (formFields as readonly string[]).includes(field);
}

function byPageOrder(a: FieldError, b: FieldError): number {
  const rank = (e: FieldError) =>
    isFormField(e.field) ? formFields.indexOf(e.field) : formFields.length;
  return rank(a) - rank(b);
}

/** A repeated query parameter counts by its first value; anything else is empty. */
export function text(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

// ---------------------------------------------------------------------------
// Reading what was sent

export interface SentForm {
  readonly values: Map<string, string>;
  /** Files that came with the form, by field. */
  readonly files: Map<string, number>;
}

/**
 * The form is read by fileNormalization, which on the first problem throws
 * with what it had read. A copy of the text fields and a count of the files,
 * taken as the parts go by, lets a refused form come back as typed. Fields
 * after a refused file are never read, which is why the files come last.
 */
export function watchParts(request: FastifyRequest): SentForm {
  const sent: SentForm = { values: new Map(), files: new Map() };
  const parts = request.parts.bind(request);
  request.parts = (options) => recorded(parts(options), sent);
  return sent;
}

async function* recorded(parts: AsyncIterable<Multipart>, sent: SentForm) {
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') sent.values.set(part.fieldname, part.value);
    } else if (part.filename !== '') {
      sent.files.set(part.fieldname, (sent.files.get(part.fieldname) ?? 0) + 1);
    }
    yield part;
  }
}

function valuesOf(sent: SentForm): FormValues {
  const values: Partial<Record<NormalizationField, string>> = {};
  for (const field of normalizationFields) {
    const value = sent.values.get(field);
    if (value !== undefined) values[field] = value;
  }
  return values;
}

/** Files are never kept when a form is refused: every file field needs choosing again. */
function withFileReminders(errors: readonly FieldError[]): FieldError[] {
  const all = [...errors];
  for (const field of normalizationFileFields) {
    if (!all.some((e) => e.field === field)) {
      all.push({ field, reason: 'normalizationForm.files.again' });
    }
  }
  return all;
}

export function refusedForm(error: AppError, sent: SentForm): FormState {
  const fieldErrors = error.code === 'validation_failed' ? error.errors : [];
  return {
    values: valuesOf(sent),
    errors: withFileReminders(fieldErrors).sort(byPageOrder),
    ...(error.code === 'validation_failed'
      ? {}
      : { problem: { code: error.code, params: { ...error.params } } }),
    status: statusByCode[error.code],
  };
}

// ---------------------------------------------------------------------------
// The form

export interface FormView {
  readonly ctx: PageContext;
  readonly values: FormValues;
  readonly errors: ReadonlyMap<string, string>;
}

export function formView(ctx: PageContext, state: FormState): FormView {
  const errors = new Map<string, string>();
  for (const e of state.errors) {
    if (!errors.has(e.field)) errors.set(e.field, translateReason(ctx.lang, e.reason));
  }
  return { ctx, values: state.values, errors };
}

function Field(props: {
  form: FormView;
  name: FormField;
  hint?: string;
  children: ComponentChildren;
}) {
  const { form, name } = props;
  const tr = translator(form.ctx);
  return (
    <FieldFrame
      name={name}
      label={tr(`normalizationForm.${name}`)}
      hint={props.hint ?? tr(`normalizationForm.${name}.hint`)}
      error={form.errors.get(name)}
    >
      {props.children}
    </FieldFrame>
  );
}

function TextField(props: {
  form: FormView;
  name: NormalizationField;
  type?: 'text' | 'email' | 'tel';
  autocomplete: string;
  inputmode?: 'text' | 'numeric' | 'tel' | 'email';
}) {
  const { form, name, type = 'text' } = props;
  return (
    <Field form={form} name={name}>
      <input
        {...control(form.errors, name)}
        type={type}
        value={form.values[name] ?? ''}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        required
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
          choose: tr('normalizationForm.provider.choose'),
          banks: tr('normalizationForm.provider.banks'),
          ewallets: tr('normalizationForm.provider.ewallets'),
        }}
      />
    </Field>
  );
}

function FileField(props: { form: FormView; name: NormalizationFileField; hint?: string }) {
  const { form, name } = props;
  return (
    <Field form={form} name={name} hint={props.hint}>
      <input
        {...control(form.errors, name)}
        type="file"
        accept={fileTypes}
        multiple={name === 'evidence'}
        required
      />
    </Field>
  );
}

export interface NormalizationFormProps {
  readonly form: FormView;
  /** Where the form is sent (with ?lang and, in the back office, the CSRF token). */
  readonly action: string;
  readonly maxFileMb: number;
  /** The public form carries the proof of work; the service desk's does not need it. */
  readonly challenge: boolean;
  /** Entered by an operator for the owner: the texts speak of "the owner", not "you". */
  readonly serviceDesk: boolean;
  readonly children?: ComponentChildren;
}

export function NormalizationForm(props: NormalizationFormProps) {
  const { form } = props;
  const tr = translator(form.ctx);
  return (
    <form
      class="nz-form"
      method="post"
      enctype="multipart/form-data"
      action={props.action}
      aria-label={tr('normalizationForm.label')}
      noValidate
      data-altcha={props.challenge ? '/api/v1/challenge' : undefined}
    >
      <p class="hint">{tr('normalizationForm.required')}</p>
      <Step
        n={1}
        title={tr('normalizationForm.step.account')}
        intro={tr('normalizationForm.step.account.intro')}
      >
        <ProviderField form={form} />
        <TextField form={form} name="number" autocomplete="off" inputmode="numeric" />
        <TextField
          form={form}
          name="holderName"
          autocomplete={props.serviceDesk ? 'off' : 'name'}
        />
      </Step>
      <Step n={2} title={tr('normalizationForm.step.owner')}>
        <div class="notice notice-info">
          <ShieldIcon />
          <div>
            <p>{tr('normalizationForm.owner.privacy')}</p>
          </div>
        </div>
        <TextField form={form} name="nik" autocomplete="off" inputmode="numeric" />
        <TextField
          form={form}
          name="phone"
          type="tel"
          autocomplete={props.serviceDesk ? 'off' : 'tel'}
          inputmode="tel"
        />
        <TextField
          form={form}
          name="email"
          type="email"
          autocomplete={props.serviceDesk ? 'off' : 'email'}
          inputmode="email"
        />
      </Step>
      <Step
        n={3}
        title={tr('normalizationForm.step.statement')}
        intro={tr('normalizationForm.step.statement.intro')}
      >
        <Field form={form} name="statement">
          <textarea
            {...control(form.errors, 'statement')}
            rows={8}
            required
            value={form.values.statement ?? ''}
          />
        </Field>
      </Step>
      <Step
        n={4}
        title={tr('normalizationForm.step.documents')}
        intro={tr('normalizationForm.step.documents.intro', { size: props.maxFileMb })}
      >
        <FileField form={form} name="savingsBookPhoto" />
        <FileField form={form} name="idCardPhoto" />
        <FileField
          form={form}
          name="evidence"
          hint={tr('normalizationForm.evidence.hint', { max: maxEvidenceFiles })}
        />
        <p class="small">{tr('normalizationForm.files.privacy')}</p>
      </Step>
      {props.children}
      {props.challenge && (
        <>
          <input type="hidden" name="altcha" value="" />
          <p
            id="altcha-status"
            class="altcha-status"
            aria-live="polite"
            data-working={tr('normalizationForm.challenge.working')}
            data-ready={tr('normalizationForm.challenge.ready')}
            data-unavailable={tr('normalizationForm.challenge.unavailable')}
          />
        </>
      )}
      <button type="submit" class="button button-block">
        {tr(
          props.serviceDesk ? 'normalizationForm.submit.serviceDesk' : 'normalizationForm.submit',
        )}
      </button>
    </form>
  );
}

/** The refused form's summary, focused on load (autofocus, no script). */
export function FormErrorSummary({ ctx, state }: { ctx: PageContext; state: FormState }) {
  const tr = translator(ctx);
  const { problem } = state;
  if (!problem && state.errors.length === 0) return null;
  return (
    <section class="error-summary" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
      <h2 id="error-summary-title">
        <ErrorIcon />
        {problem ? problemTitle(ctx.lang, problem.code) : tr('normalizationForm.errors.title')}
      </h2>
      {problem && <p>{problemDetail(ctx.lang, problem.code, problem.params)}</p>}
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
    </section>
  );
}

/** `?bank=014&nomor=…` (a result page's link): the account, chosen already. */
export function prefillFrom(query: Readonly<Record<string, unknown>>): FormValues {
  const provider = providers.resolveLabel(
    text(query.bank) || text(query.ewallet) || text(query.provider),
  );
  const number = (text(query.nomor) || text(query.number)).slice(0, 40);
  return {
    ...(provider ? { provider: provider.code } : {}),
    ...(number ? { number } : {}),
  };
}
