// The public check's home page as it looks: the check form (bank or
// e-wallet, and the number), what was typed wrong, and the demo accounts to
// try. The result page is accounts.result.views.tsx.
import { translateReason } from '../shared/messages.ts';
import { providers } from '../shared/providers.ts';
import { formatAccountNumber } from '../http/format.ts';
import { BankChooser } from '../http/form-fields.tsx';
import { ErrorIcon, WarningIcon } from '../http/icons.tsx';
import { href, publicServices, translator, type PageContext } from '../http/layout.tsx';
import { ErrorSummary } from '../http/public-form.tsx';
import {
  resultPath,
  type CheckFormError,
  type CheckFormField,
  type CheckFormValues,
} from './accounts.form.ts';
import { statusWords } from './accounts.result.views.tsx';
import type { CheckResult } from './check.ts';

const ewallets = providers.all.filter((p) => p.kind === 'ewallet');

/** Form values echoed back are cut here: nobody types more, and pages stay small. */
const maxEcho = 200;

// ---------------------------------------------------------------------------
// The form

function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <p class="field-error" id={id}>
      <ErrorIcon />
      <span>{message}</span>
    </p>
  );
}

interface FormProps {
  readonly ctx: PageContext;
  readonly values: CheckFormValues;
  readonly errors: ReadonlyMap<CheckFormField, string>;
}

/** aria-describedby of a field: its hint, then its error when it has one. */
function describedBy(field: CheckFormField, errors: FormProps['errors'], hint = true) {
  const ids = [hint ? `${field}-hint` : '', errors.has(field) ? `${field}-error` : ''];
  return ids.filter(Boolean).join(' ') || undefined;
}

function CheckForm({ ctx, values, errors }: FormProps) {
  const tr = translator(ctx);
  const invalid = (field: CheckFormField) => (errors.has(field) ? 'true' : undefined);
  const error = (field: CheckFormField) => {
    const message = errors.get(field);
    return message ? <FieldError id={`${field}-error`} message={message} /> : null;
  };
  return (
    <form class="check-form card" method="get" action="/cek" aria-label={tr('home.form.label')}>
      <fieldset class="kind">
        <legend>{tr('home.form.kind')}</legend>
        <div class="choices">
          <label class="choice" for="jenis-bank">
            <input
              type="radio"
              id="jenis-bank"
              name="jenis"
              value="bank"
              checked={values.kind === 'bank'}
            />
            {tr('home.form.kind.bank')}
          </label>
          <label class="choice" for="jenis-ewallet">
            <input
              type="radio"
              id="jenis-ewallet"
              name="jenis"
              value="ewallet"
              checked={values.kind === 'ewallet'}
            />
            {tr('home.form.kind.ewallet')}
          </label>
        </div>
      </fieldset>

      <div class="field field-bank">
        <label for="bank">{tr('home.form.bank')}</label>
        <p class="hint" id="bank-hint">
          {tr('home.form.bank.hint')}
        </p>
        {error('bank')}
        <BankChooser
          id="bank"
          name="bank"
          value={values.bank.slice(0, maxEcho)}
          invalid={errors.has('bank')}
          describedBy={describedBy('bank', errors)}
        />
      </div>

      <div class="field field-ewallet">
        <label for="ewallet">{tr('home.form.ewallet')}</label>
        {error('ewallet')}
        <select
          id="ewallet"
          name="ewallet"
          aria-invalid={invalid('ewallet')}
          aria-describedby={describedBy('ewallet', errors, false)}
        >
          <option value="" selected={!ewallets.some((p) => p.code === values.ewallet)}>
            {tr('home.form.ewallet.choose')}
          </option>
          {ewallets.map((p) => (
            <option key={p.code} value={p.code} selected={p.code === values.ewallet}>
              {p.shortName}
            </option>
          ))}
        </select>
      </div>

      <div class="field">
        <label for="number">{tr('home.form.number')}</label>
        <p class="hint" id="number-hint">
          {tr('home.form.number.hint')}
        </p>
        {error('number')}
        <input
          type="text"
          class="number-input"
          id="number"
          name="nomor"
          inputmode="numeric"
          autocomplete="off"
          spellcheck={false}
          value={values.number.slice(0, maxEcho)}
          aria-invalid={invalid('number')}
          aria-describedby={describedBy('number', errors)}
        />
      </div>

      {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
      <button type="submit" class="button button-block">
        {tr('home.form.submit')}
      </button>
    </form>
  );
}

function CheckErrors({ ctx, errors }: { ctx: PageContext; errors: readonly CheckFormError[] }) {
  return (
    <ErrorSummary title={translator(ctx)('home.errors.title')}>
      <ul>
        {errors.map((e) => (
          <li key={e.field}>
            <a href={`#${e.field}`}>{translateReason(ctx.lang, e.reason)}</a>
          </li>
        ))}
      </ul>
    </ErrorSummary>
  );
}

function DemoList({ ctx, examples }: { ctx: PageContext; examples: readonly CheckResult[] }) {
  const tr = translator(ctx);
  return (
    <section class="demo" aria-labelledby="demo-title">
      <p>
        <span class="demo-badge">{tr('result.demo.badge')}</span>
      </p>
      <h2 id="demo-title">{tr('home.demo.title')}</h2>
      <p>{tr('home.demo.text')}</p>
      <ul class="demo-list">
        {examples.map((r) => (
          <li key={r.account.key}>
            <a href={href(ctx, resultPath(r.account))}>
              {`${r.account.provider.shortName} ${formatAccountNumber(r.account)}`}
            </a>
            {` — ${statusWords(ctx, r)}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Every service one tap away, like the menu (checking leads back here, to the form). */
function ServiceList({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <section class="services" aria-labelledby="services-title">
      <h2 id="services-title">{tr('home.services.title')}</h2>
      <ul class="service-list">
        {publicServices.map(({ path, label, text }) => (
          <li key={path}>
            <a class="service-link" href={href(ctx, path)}>
              {tr(label)}
            </a>
            <p>{tr(text)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface HomeProps {
  readonly ctx: PageContext;
  readonly values: CheckFormValues;
  readonly errors: readonly CheckFormError[];
  readonly demo: readonly CheckResult[];
}

export function HomePage({ ctx, values, errors, demo }: HomeProps) {
  const tr = translator(ctx);
  const messages = new Map(errors.map((e) => [e.field, translateReason(ctx.lang, e.reason)]));
  return (
    <>
      <h1>{tr('home.heading')}</h1>
      <p class="lead">{tr('home.lead')}</p>
      {errors.length > 0 && <CheckErrors ctx={ctx} errors={errors} />}
      <CheckForm ctx={ctx} values={values} errors={messages} />
      <div class="notice notice-caution">
        <WarningIcon />
        <div>
          <p>
            <strong>{`${tr('home.caution.title')}: `}</strong>
            {tr('home.caution')}
          </p>
        </div>
      </div>
      <ServiceList ctx={ctx} />
      {demo.length > 0 && <DemoList ctx={ctx} examples={demo} />}
      <section aria-labelledby="what-title">
        <h2 id="what-title">{tr('home.what.title')}</h2>
        <p>{tr('home.what.text')}</p>
        <p>
          <a href={href(ctx, '/tentang')}>{tr('home.what.more')}</a>
        </p>
      </section>
    </>
  );
}
