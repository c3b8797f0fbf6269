// The normalization request form, shared by the public page (/normalisasi)
// and the service-desk entry of the back office: the same fields, in the same
// order, with the same messages. Server-rendered, no JavaScript needed; a
// refused form comes back with what was typed (files must be chosen again).
import type { ComponentChildren } from 'preact';
import {
  ChallengeStatus,
  control,
  Field,
  FileCheckScript,
  FileField,
  ProviderField,
  Step,
  TextField,
  type FormView as FieldsView,
} from '../http/form-fields.tsx';
import { ShieldIcon } from '../http/icons.tsx';
import { translator, type PageContext } from '../http/layout.tsx';
import {
  canResubmit,
  fieldErrorsOf,
  fieldMessages,
  FormErrorSummary as PublicFormErrorSummary,
  pageOrder,
  prefilledAccount,
  refusedState,
  text,
  valuesOf,
  type FormState as PublicFormState,
  type SentForm,
} from '../http/public-form.tsx';
import { toAccountRef, type AccountRef } from '../shared/account-number.ts';
import { isAppError, type AppError, type FieldError } from '../shared/errors.ts';
import { isMessageKey, t } from '../shared/messages.ts';
import {
  maxEvidenceFiles,
  normalizationFields,
  normalizationFileFields,
  type NormalizationField,
  type NormalizationFileField,
} from './normalization-input.ts';

export { watchParts, type SentForm } from '../http/public-form.tsx';

/** Where the public form is. */
export const normalizationPath = '/normalisasi';

/** The form's fields in page order: the files come last (see watchParts). */
export const formFields = [...normalizationFields, ...normalizationFileFields] as const;
export type FormField = NormalizationField | NormalizationFileField;
const normalizationOrder = pageOrder(formFields);

export type FormValues = Readonly<Partial<Record<NormalizationField, string>>>;
export interface FormState extends PublicFormState<FormValues> {
  /**
   * The first step alone, before anything about the owner is asked: the
   * account to check (`ask`), or the account checked and found with no
   * verified report (`nothing`), which leaves nothing to normalize.
   */
  readonly accountStep?: 'ask' | 'nothing';
}

export const emptyForm: FormState = { values: {}, errors: [], status: 200 };

/** How many verified reports the account has (the public check's count). */
export type VerifiedReports = (account: AccountRef) => Promise<number>;

/** The account of the query (`?provider=…&number=…`, or a result page's `?bank=…&nomor=…`). */
function queriedAccount(query: Readonly<Record<string, unknown>>) {
  const first = (names: readonly string[]) =>
    names.map((name) => text(query[name])).find(Boolean) ?? '';
  return {
    provider: first(['provider', 'bank', 'ewallet']).slice(0, 200),
    number: first(['number', 'nomor']).slice(0, 40),
  };
}

/**
 * The form as the query opens it. Without an account, its first step alone:
 * the account is checked before identity documents are asked for. An account
 * with no verified report is told so there; one with reports (or one the
 * check cannot answer for now: the filing decides) opens the whole form.
 */
export async function openedForm(
  query: Readonly<Record<string, unknown>>,
  verifiedReports: VerifiedReports | undefined,
): Promise<FormState> {
  const typed = queriedAccount(query);
  if (!typed.provider && !typed.number) return { ...emptyForm, accountStep: 'ask' };
  const values = { ...typed, ...prefillFrom(query) };
  let account: AccountRef;
  try {
    account = toAccountRef(values.provider, values.number);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const errors = normalizationOrder.sort(error.errors);
    return { values, errors, status: 400, accountStep: 'ask' };
  }
  if (!verifiedReports) return { ...emptyForm, values };
  const count = await verifiedReports(account).catch(() => undefined);
  if (count === 0) return { ...emptyForm, values, accountStep: 'nothing' };
  return { ...emptyForm, values };
}

const fileTypes = 'image/jpeg,image/png,image/webp,application/pdf';

/**
 * Files are never kept when a form is refused: every file field needs
 * choosing again, when the form can be sent again at all.
 */
function withFileReminders(errors: readonly FieldError[], resubmit: boolean): FieldError[] {
  const all = [...errors];
  if (!resubmit) return all;
  for (const field of normalizationFileFields) {
    if (!all.some((e) => e.field === field)) {
      all.push({ field, reason: 'normalizationForm.files.again' });
    }
  }
  return all;
}

export function refusedForm(error: AppError, sent: SentForm): FormState {
  const errors = withFileReminders(fieldErrorsOf(error), canResubmit(error));
  return refusedState(error, valuesOf(sent, normalizationFields), errors, normalizationOrder);
}

/** `?bank=014&nomor=…` (a result page's link): the account, chosen already. */
export function prefillFrom(query: Readonly<Record<string, unknown>>): FormValues {
  return prefilledAccount(query, {
    provider: ['bank', 'ewallet', 'provider'],
    number: ['nomor', 'number'],
  });
}

// ---------------------------------------------------------------------------
// The form

export type FormView = FieldsView<FormField>;

export function formView(ctx: PageContext, state: FormState): FormView {
  const tr = translator(ctx);
  return {
    ctx,
    values: state.values,
    errors: fieldMessages(ctx.lang, state.errors),
    texts: {
      label: (field) => tr(`normalizationForm.${field}`),
      hint: (field) => tr(`normalizationForm.${field}.hint`),
    },
  };
}

/** A field's label, as the error summary names it. */
function fieldLabel(ctx: PageContext, field: string): string {
  const key = `normalizationForm.${field}`;
  return isMessageKey(key) ? t(ctx.lang, key) : field;
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
  // File fields refuse, in the browser, what is larger than the form announces.
  const form = { ...props.form, maxFileMb: props.maxFileMb };
  const tr = translator(form.ctx);
  const steps = { total: 4, lang: form.ctx.lang };
  return (
    <form
      class="nz-form"
      method="post"
      enctype="multipart/form-data"
      action={props.action}
      aria-label={tr('normalizationForm.label')}
      noValidate
      data-altcha={props.challenge ? '/api/v1/challenge' : undefined}
      data-file-check-title={tr('form.files.summaryTitle')}
    >
      <p class="hint">{tr('normalizationForm.required')}</p>
      <Step
        n={1}
        of={steps}
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
      <Step n={2} of={steps} title={tr('normalizationForm.step.owner')}>
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
        of={steps}
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
        of={steps}
        title={tr('normalizationForm.step.documents')}
        intro={tr('normalizationForm.step.documents.intro', { size: props.maxFileMb })}
      >
        <FileField form={form} name="savingsBookPhoto" accept={fileTypes} />
        <FileField form={form} name="idCardPhoto" accept={fileTypes} />
        <FileField
          form={form}
          name="evidence"
          hint={tr('normalizationForm.evidence.hint', { max: maxEvidenceFiles })}
          accept={fileTypes}
          multiple
        />
        <p class="small">{tr('normalizationForm.files.privacy')}</p>
      </Step>
      <FileCheckScript />
      {props.children}
      {props.challenge && (
        <>
          <input type="hidden" name="altcha" value="" />
          <ChallengeStatus
            working={tr('normalizationForm.challenge.working')}
            ready={tr('normalizationForm.challenge.ready')}
            unavailable={tr('normalizationForm.challenge.unavailable')}
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

/**
 * The form's first step on its own: the account, checked (a GET, so it works
 * without JavaScript) before anything about the owner is asked.
 */
export function AccountCheckForm(props: { form: FormView; action: string; langParam?: string }) {
  const { form } = props;
  const tr = translator(form.ctx);
  return (
    <form
      class="nz-form"
      method="get"
      action={props.action}
      aria-label={tr('normalizationForm.label')}
      noValidate
    >
      <Step
        n={1}
        of={{ total: 4, lang: form.ctx.lang }}
        title={tr('normalizationForm.step.account')}
        intro={tr('normalizationForm.check.intro')}
      >
        <ProviderField form={form} />
        <TextField form={form} name="number" autocomplete="off" inputmode="numeric" />
      </Step>
      {props.langParam && <input type="hidden" name="lang" value={props.langParam} />}
      <button type="submit" class="button button-block">
        {tr('normalizationForm.check.submit')}
      </button>
    </form>
  );
}

/** The refused form's summary, focused on load (autofocus, no script). */
export function FormErrorSummary({ ctx, state }: { ctx: PageContext; state: FormState }) {
  return (
    <PublicFormErrorSummary
      ctx={ctx}
      state={state}
      order={normalizationOrder}
      title={translator(ctx)('normalizationForm.errors.title')}
      label={(field) => fieldLabel(ctx, field)}
    />
  );
}
