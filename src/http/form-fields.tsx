// The parts the public forms share (report, seller registration,
// normalization): a field's frame of label, hint and error, the attributes
// that tie a control to them, the numbered steps, the fields themselves (text,
// file, the chooser of bank or e-wallet, a ticket's codes) and the proof of
// work's status line. Each form keeps its own texts; these take them translated.
import type { ComponentChildren } from 'preact';
import type { Lang } from '../shared/i18n.ts';
import { t } from '../shared/messages.ts';
import { providers, type Provider } from '../shared/providers.ts';
import { fileCheckScriptHref } from './assets.ts';
import { ErrorIcon } from './icons.tsx';
import type { PageContext } from './layout.tsx';

/** What describes a control (see FieldFrame): its hint, and its error when it has one. */
export function describedBy(id: string, invalid: boolean): string {
  return invalid ? `${id}-hint ${id}-error` : `${id}-hint`;
}

/** What every control carries: its name, its state, and what describes it. */
export function control(errors: ReadonlyMap<string, string>, name: string) {
  const invalid = errors.has(name);
  return {
    id: name,
    name,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': describedBy(name, invalid),
  };
}

export interface FieldFrameProps {
  readonly name: string;
  readonly label: string;
  readonly hint: string;
  /** The word shown after the label of an optional field. */
  readonly optional?: string;
  readonly error?: string;
  readonly children: ComponentChildren;
}

/** Label, hint and error around a control, with the ids `control` refers to. */
export function FieldFrame({ name, label, hint, optional, error, children }: FieldFrameProps) {
  return (
    <div class="field">
      <label for={name}>
        {label}
        {optional && <span class="optional">{` (${optional})`}</span>}
      </label>
      <p class="hint" id={`${name}-hint`}>
        {hint}
      </p>
      {error && (
        <p class="field-error" id={`${name}-error`}>
          <ErrorIcon />
          <span>{error}</span>
        </p>
      )}
      {children}
    </div>
  );
}

/** One step of a long form: "Langkah 2 dari 5", then its title, in its legend. */
export function Step(props: {
  n: number;
  /** The form's steps, counted; with `lang`, the legend says where in them this one is. */
  of?: { readonly total: number; readonly lang: Lang };
  title: string;
  intro?: string;
  children: ComponentChildren;
}) {
  const { of } = props;
  return (
    <fieldset class="step">
      <legend>
        <h2>
          {of ? (
            <>
              <span class="step-count">
                {t(of.lang, 'form.step', { n: props.n, total: of.total })}
              </span>
              {props.title}
            </>
          ) : (
            `${props.n}. ${props.title}`
          )}
        </h2>
      </legend>
      {props.intro && <p class="step-intro">{props.intro}</p>}
      {props.children}
    </fieldset>
  );
}

const nameCollator = new Intl.Collator('id');

function bankLabel(p: Provider): string {
  return p.shortName === p.name
    ? `${p.name} (${p.code})`
    : `${p.shortName} — ${p.name} (${p.code})`;
}

/** Banks by the name people know them by, each with its code; then the e-wallets. */
const bankOptions = providers.all
  .filter((p) => p.kind === 'bank')
  .sort((a, b) => nameCollator.compare(a.shortName, b.shortName))
  .map((p) => ({ code: p.code, label: bankLabel(p) }));
const ewalletOptions = providers.all
  .filter((p) => p.kind === 'ewallet')
  .map((p) => ({ code: p.code, label: p.shortName }));

function ProviderGroup(props: {
  label: string;
  options: readonly { code: string; label: string }[];
  chosen: string;
}) {
  return (
    <optgroup label={props.label}>
      {props.options.map((o) => (
        <option key={o.code} value={o.code} selected={o.code === props.chosen}>
          {o.label}
        </option>
      ))}
    </optgroup>
  );
}

/** "014 · BCA — Bank Central Asia": providers.resolveLabel reads it back by its code. */
function chooserLabel(p: Provider): string {
  if (p.kind === 'ewallet') return p.shortName;
  return p.shortName === p.name
    ? `${p.code} · ${p.name}`
    : `${p.code} · ${p.shortName} — ${p.name}`;
}

const bankLabels = providers.all.filter((p) => p.kind === 'bank').map(chooserLabel);
const ewalletLabels = providers.all.filter((p) => p.kind === 'ewallet').map(chooserLabel);

/** What the chooser shows for a value: a provider's code as its label, anything else as typed. */
export function chooserValue(value: string): string {
  const provider = providers.byCode(value.trim());
  return provider ? chooserLabel(provider) : value;
}

export interface BankChooserProps {
  readonly id: string;
  readonly name: string;
  /** What was chosen or typed so far (a provider's code shows as its label). */
  readonly value: string;
  /** E-wallets in the list too, after the banks (the forms; the home page has its own). */
  readonly ewallets?: boolean;
  readonly invalid: boolean;
  readonly describedBy: string | undefined;
  readonly required?: boolean;
}

/**
 * The searchable bank chooser of the home page and of every form: a text
 * field whose list offers every bank by code and name as one types, and
 * that takes a name or a code typed freely when the list is not shown.
 */
export function BankChooser(props: BankChooserProps) {
  const list = `${props.id}-list`;
  const labels = props.ewallets ? [...bankLabels, ...ewalletLabels] : bankLabels;
  return (
    <>
      <input
        id={props.id}
        name={props.name}
        aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby={props.describedBy}
        type="text"
        list={list}
        autocomplete="off"
        spellcheck={false}
        value={chooserValue(props.value).slice(0, 200)}
        required={props.required}
      />
      <datalist id={list}>
        {labels.map((label) => (
          <option key={label} value={label} />
        ))}
      </datalist>
    </>
  );
}

export interface ProviderSelectProps {
  readonly errors: ReadonlyMap<string, string>;
  /** The provider code chosen so far, or '' for none. */
  readonly chosen: string;
  readonly texts: { readonly choose: string; readonly banks: string; readonly ewallets: string };
}

/** The `provider` select: a prompt, then banks and e-wallets in their groups. */
export function ProviderSelect({ errors, chosen, texts }: ProviderSelectProps) {
  return (
    <select {...control(errors, 'provider')} required autocomplete="off">
      <option value="" selected={chosen === ''}>
        {texts.choose}
      </option>
      <ProviderGroup label={texts.banks} options={bankOptions} chosen={chosen} />
      <ProviderGroup label={texts.ewallets} options={ewalletOptions} chosen={chosen} />
    </select>
  );
}

// ---------------------------------------------------------------------------
// Fields drawn from a form's state

/** A form as its fields draw it: what was typed, each field's error, and the form's words. */
export interface FormView<F extends string> {
  readonly ctx: PageContext;
  readonly values: Readonly<Partial<Record<string, string>>>;
  /** The error each field shows, in words. */
  readonly errors: ReadonlyMap<string, string>;
  readonly texts: FieldTexts<F>;
  /** The longest value written back into a text field. */
  readonly echo?: number;
  /** The largest file, in whole megabytes, that file fields refuse past in the browser. */
  readonly maxFileMb?: number;
}

/** A form's own words for its fields. */
export interface FieldTexts<F extends string> {
  readonly label: (field: F) => string;
  readonly hint: (field: F) => string;
  /** The word after the label of an optional field. */
  readonly optional?: string;
}

export interface FieldProps<F extends string> {
  readonly form: FormView<F>;
  readonly name: F;
  readonly optional?: boolean;
  /** The hint, when it needs values; else the field's own hint text. */
  readonly hint?: string;
  readonly children: ComponentChildren;
}

export function Field<F extends string>({ form, name, optional, hint, children }: FieldProps<F>) {
  return (
    <FieldFrame
      name={name}
      label={form.texts.label(name)}
      hint={hint ?? form.texts.hint(name)}
      optional={optional ? form.texts.optional : undefined}
      error={form.errors.get(name)}
    >
      {children}
    </FieldFrame>
  );
}

export interface TextFieldProps<F extends string> {
  readonly form: FormView<F>;
  readonly name: F;
  readonly type?: 'text' | 'email' | 'tel' | 'date' | 'time';
  readonly autocomplete: string;
  readonly optional?: boolean;
  readonly inputmode?: 'text' | 'numeric' | 'tel' | 'email' | 'url';
  readonly list?: string;
  readonly max?: string;
  readonly maxLength?: number;
  /** As wide as a date or a time, not as the screen. */
  readonly narrow?: boolean;
}

export function TextField<F extends string>(props: TextFieldProps<F>) {
  const { form, name, type = 'text', optional = false } = props;
  const value = form.values[name] ?? '';
  return (
    <Field form={form} name={name} optional={optional}>
      <input
        {...control(form.errors, name)}
        type={type}
        class={props.narrow ? 'input-narrow' : undefined}
        value={form.echo === undefined ? value : value.slice(0, form.echo)}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        list={props.list}
        max={props.max}
        maxLength={props.maxLength}
        required={!optional}
        spellcheck={type === 'email' || type === 'tel' ? false : undefined}
      />
    </Field>
  );
}

/** The `provider` field: the bank chooser (BankChooser), with the e-wallets. */
export function ProviderField<F extends string>(props: { form: FormView<F | 'provider'> }) {
  const { form } = props;
  const invalid = form.errors.has('provider');
  return (
    <Field form={form} name="provider">
      <BankChooser
        id="provider"
        name="provider"
        value={form.values.provider ?? ''}
        ewallets
        required
        invalid={invalid}
        describedBy={describedBy('provider', invalid)}
      />
    </Field>
  );
}

/** The kinds of file `accept` lists, as people know them: "JPEG, PNG, WebP atau PDF". */
function typeNames(lang: Lang, accept: string): string {
  const names = accept.split(',').map((type) => {
    const sub = type.trim().split('/')[1] ?? type;
    return sub === 'webp' ? 'WebP' : sub.toUpperCase();
  });
  const last = names.pop() ?? '';
  return names.length > 0 ? `${names.join(', ')} ${lang === 'id' ? 'atau' : 'or'} ${last}` : last;
}

/**
 * What file-check.js needs to refuse a file in the browser, before it is
 * sent: the largest size and the messages, with `{fileName}` to fill in.
 * Without the script the server refuses with the same words.
 */
export function fileCheck(
  lang: Lang,
  accept: string,
  label: string,
  maxFileMb: number | undefined,
): Record<string, string> {
  const fileName = '{fileName}';
  return {
    'data-label': label,
    'data-wrong-type': t(lang, 'form.files.wrongType', {
      fileName,
      types: typeNames(lang, accept),
    }),
    ...(maxFileMb === undefined
      ? {}
      : {
          'data-max-bytes': String(maxFileMb * 1024 * 1024),
          'data-too-large': t(lang, 'form.files.tooLarge', { fileName, max: maxFileMb }),
        }),
  };
}

/** The file check's script (file-check.js), once per page with file fields. */
export function FileCheckScript() {
  return <script src={fileCheckScriptHref} defer />;
}

/** Files are never kept when a form is refused: a file field is always required. */
export function FileField<F extends string>(props: {
  form: FormView<F>;
  name: F;
  accept: string;
  multiple?: boolean;
  hint?: string;
  /** What the field says below the control. */
  children?: ComponentChildren;
}) {
  const { form, name } = props;
  const check = fileCheck(form.ctx.lang, props.accept, form.texts.label(name), form.maxFileMb);
  return (
    <Field form={form} name={name} hint={props.hint}>
      <input
        {...control(form.errors, name)}
        {...check}
        type="file"
        multiple={props.multiple}
        accept={props.accept}
        required
      />
      {props.children}
    </Field>
  );
}

/** A ticket's number or its tracking code, typed or pasted: no spelling, no autofill. */
export function CodeField(props: {
  id: string;
  name: string;
  label: string;
  hint: string;
  value: string;
  error: string | undefined;
  class: string;
  autocapitalize?: 'characters' | 'off';
}) {
  const { id, error } = props;
  return (
    <FieldFrame name={id} label={props.label} hint={props.hint} error={error}>
      <input
        type="text"
        class={props.class}
        id={id}
        name={props.name}
        value={props.value.slice(0, 200)}
        autocomplete="off"
        autocapitalize={props.autocapitalize}
        spellcheck={false}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, Boolean(error))}
      />
    </FieldFrame>
  );
}

/** A GET form that looks a ticket up by its codes (CodeField), keeping `?lang`. */
export function TicketLookupForm(props: {
  ctx: PageContext;
  action: string;
  label: string;
  submit: string;
  children: ComponentChildren;
}) {
  const { ctx } = props;
  return (
    <form class="card" method="get" action={props.action} aria-label={props.label}>
      {props.children}
      {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
      <button type="submit" class="button button-block">
        {props.submit}
      </button>
    </form>
  );
}

/** Where altcha.js says how the proof of work goes: empty until the script writes in it. */
export function ChallengeStatus(props: { working: string; ready: string; unavailable: string }) {
  return (
    <p
      id="altcha-status"
      class="altcha-status"
      aria-live="polite"
      data-working={props.working}
      data-ready={props.ready}
      data-unavailable={props.unavailable}
    />
  );
}
