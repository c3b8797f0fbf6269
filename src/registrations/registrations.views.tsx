// A seller registration's public pages as they look: the form in four steps
// (/daftar-penjual), the receipt that shows the tracking code once, and the
// seller's proof page (/daftar-penjual/bukti), whose link, QR code and badge
// are drawn by seller-proof.views.tsx.
import type { Lang } from '../shared/i18n.ts';
import { isMessageKey, t } from '../shared/messages.ts';
import { altchaScriptHref } from '../http/assets.ts';
import {
  ChallengeStatus,
  CodeField,
  control,
  Field,
  FileCheckScript,
  FileField,
  ProviderField,
  Step,
  TextField,
  type FieldTexts,
  type FormView,
} from '../http/form-fields.tsx';
import { ShieldIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import {
  ErrorSummary,
  fieldMessages,
  FormErrorSummary,
  LinkedErrors,
} from '../http/public-form.tsx';
import { Receipt, TicketFacts, trackingPath } from '../http/receipt.tsx';
import { businessTypes, type DocumentField } from './registration-input.ts';
import {
  registrationOrder,
  type FormField,
  type ProofField,
  type ProofState,
  type RegistrationFormState,
} from './registrations.form.ts';
import { registrationPaths } from './registrations.paths.ts';
import type { SubmittedRegistration } from './registrations.service.ts';
import { ProofLinks } from './seller-proof.views.tsx';

const documentTypes = 'image/jpeg,image/png,image/webp,application/pdf';
const imageTypes = 'image/jpeg,image/png,image/webp';

export function businessTypeName(lang: Lang, code: string | null, other?: string | null): string {
  if (!code) return '—';
  const key = `registration.businessType.${code}`;
  const name = isMessageKey(key) ? t(lang, key) : code;
  return code === 'other' && other ? `${name}: ${other}` : name;
}

// ---------------------------------------------------------------------------
// The form

interface RegistrationFormView extends FormView<FormField> {
  readonly chooseAgain: boolean;
}

function registrationTexts(ctx: PageContext): FieldTexts<FormField> {
  const tr = translator(ctx);
  return {
    label: (field) => tr(`sellerForm.${field}`),
    hint: (field) => tr(`sellerForm.${field}.hint`),
    optional: tr('sellerForm.optional'),
  };
}

function BusinessTypeField({ form }: { form: RegistrationFormView }) {
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

function DocumentInput({ form, name }: { form: RegistrationFormView; name: DocumentField }) {
  const tr = translator(form.ctx);
  const hint = `${tr(`sellerForm.${name}.hint`)} ${form.chooseAgain ? tr('sellerForm.documents.again') : ''}`;
  return (
    <FileField
      form={form}
      name={name}
      hint={hint.trim()}
      accept={name === 'businessPermit' ? documentTypes : imageTypes}
    />
  );
}

function RegistrationForm({ form, maxFileMb }: { form: RegistrationFormView; maxFileMb: number }) {
  const { ctx } = form;
  const tr = translator(ctx);
  const steps = { total: 4, lang: ctx.lang };
  return (
    <form
      class="registration-form"
      method="post"
      enctype="multipart/form-data"
      action={href(ctx, registrationPaths.form)}
      aria-label={tr('sellerForm.label')}
      noValidate
      data-altcha="/api/v1/challenge"
      data-file-check-title={tr('form.files.summaryTitle')}
    >
      {/* The proof of work, solved in the background by altcha.js when JavaScript runs. */}
      <input type="hidden" name="altcha" value="" />
      <p class="hint">{tr('sellerForm.required')}</p>
      <Step
        n={1}
        of={steps}
        title={tr('sellerForm.step.account')}
        intro={tr('sellerForm.step.account.intro')}
      >
        <ProviderField form={form} />
        <TextField form={form} name="number" autocomplete="off" inputmode="numeric" />
        <TextField form={form} name="holderName" autocomplete="name" maxLength={100} />
      </Step>
      <Step n={2} of={steps} title={tr('sellerForm.step.business')}>
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
      <Step n={3} of={steps} title={tr('sellerForm.step.owner')}>
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
        of={steps}
        title={tr('sellerForm.step.documents')}
        intro={tr('sellerForm.step.documents.intro', { size: maxFileMb })}
      >
        <DocumentInput form={form} name="savingsBookPhoto" />
        <DocumentInput form={form} name="idCardPhoto" />
        <DocumentInput form={form} name="businessPermit" />
        <p class="small">{tr('sellerForm.documents.privacy')}</p>
      </Step>
      <ChallengeStatus
        working={tr('reportForm.challenge.working')}
        ready={tr('reportForm.challenge.ready')}
        unavailable={tr('reportForm.challenge.unavailable')}
      />
      <button type="submit" class="button button-block">
        {tr('sellerForm.submit')}
      </button>
      <script src={altchaScriptHref} defer />
      <FileCheckScript />
    </form>
  );
}

export function RegistrationFormPage(props: {
  ctx: PageContext;
  state: RegistrationFormState;
  maxFileMb: number;
}) {
  const { ctx, state } = props;
  const tr = translator(ctx);
  const form: RegistrationFormView = {
    ctx,
    values: state.values,
    errors: fieldMessages(ctx.lang, state.errors),
    texts: registrationTexts(ctx),
    echo: 300,
    chooseAgain: state.chooseAgain,
    maxFileMb: props.maxFileMb,
  };
  return (
    <>
      <h1>{tr('sellerForm.heading')}</h1>
      <p class="lead">{tr('sellerForm.lead')}</p>
      <FormErrorSummary
        ctx={ctx}
        state={state}
        order={registrationOrder}
        title={tr('sellerForm.errors.title')}
        label={(field) => form.texts.label(field as FormField)}
      >
        {state.chooseAgain && <p>{tr('sellerForm.documents.again')}</p>}
      </FormErrorSummary>
      <RegistrationForm form={form} maxFileMb={props.maxFileMb} />
      <p>
        <a href={href(ctx, registrationPaths.proof)}>{tr('sellerForm.haveTicket')}</a>
      </p>
    </>
  );
}

// ---------------------------------------------------------------------------
// The receipt

function proofPath(ticket: string): string {
  return `${registrationPaths.proof}?${new URLSearchParams({ tiket: ticket }).toString()}`;
}

export function ReceiptPage(props: {
  ctx: PageContext;
  submitted: SubmittedRegistration;
  origin: string;
  reviewDays: number;
}) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  return (
    <Receipt
      heading={tr('sellerSent.heading')}
      facts={
        <TicketFacts
          lang={ctx.lang}
          submitted={submitted}
          labels={{ ticket: tr('sellerSent.ticket'), token: tr('sellerSent.token') }}
          ids={{ ticket: 'ticket', token: 'tracking-token' }}
        />
      }
      save={{
        lang: ctx.lang,
        title: tr('sellerSent.save.title'),
        text: tr('sellerSent.save.text'),
        linkText: tr('sellerSent.link'),
        path: href(ctx, trackingPath(submitted.ticket, submitted.trackingToken)),
        origin: props.origin,
      }}
      mail={tr('sellerSent.mail')}
      next={{
        title: tr('sellerSent.next.title'),
        text: tr('sellerSent.next.text'),
        link: { href: href(ctx, proofPath(submitted.ticket)), text: tr('sellerSent.proof') },
      }}
      home={{ href: href(ctx, '/'), text: tr('sellerSent.home') }}
      reviewDays={props.reviewDays}
    />
  );
}

// ---------------------------------------------------------------------------
// The seller's proof: link, QR code, badge (seller-proof.views.tsx)

export function ProofPage({
  ctx,
  state,
  origin,
}: {
  ctx: PageContext;
  state: ProofState;
  /** The site's public origin, for the links that leave the page. */
  origin: string;
}) {
  const tr = translator(ctx);
  const codeField = (field: ProofField, param: string, value: string) => (
    <CodeField
      id={field}
      name={param}
      label={tr(`sellerProof.${field}`)}
      hint={tr(`sellerProof.${field}.hint`)}
      value={value}
      error={state.errors.get(field)}
      class="code-input"
      autocapitalize={field === 'ticket' ? 'characters' : 'off'}
    />
  );
  return (
    <>
      <h1>{tr('sellerProof.heading')}</h1>
      <p class="lead">{tr('sellerProof.lead')}</p>
      {state.proof && <ProofLinks ctx={ctx} proof={state.proof} origin={origin} />}
      {state.notFound ? (
        <ErrorSummary title={tr('sellerProof.notFound')}>
          <p>{tr('sellerProof.notFound.text')}</p>
        </ErrorSummary>
      ) : (
        state.errors.size > 0 && (
          <ErrorSummary title={tr('sellerForm.errors.title')}>
            <LinkedErrors errors={state.errors} label={(field) => tr(`sellerProof.${field}`)} />
          </ErrorSummary>
        )
      )}
      {!state.proof?.links && (
        <form
          class="card"
          method="post"
          action={href(ctx, registrationPaths.proof)}
          aria-label={tr('sellerProof.form.label')}
          noValidate
        >
          {codeField('ticket', 'tiket', state.ticket)}
          {codeField('token', 'token', '')}
          <button type="submit" class="button button-block">
            {tr('sellerProof.submit')}
          </button>
        </form>
      )}
    </>
  );
}
