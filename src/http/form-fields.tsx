// The parts the public forms share (report, seller registration,
// normalization): a field's frame of label, hint and error, the attributes
// that tie a control to them, the numbered steps, the fields themselves (text,
// file, the chooser of bank or e-wallet, a ticket's codes) and the proof of
// work's status line. Each form keeps its own texts; these take them translated.
import type { ComponentChildren } from 'preact';
import { providers, type Provider } from '../shared/providers.ts';
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

export function Step(props: {
  n: number;
  title: string;
  intro?: string;
  children: ComponentChildren;
}) {
  return (
    <fieldset class="step">
      <legend>
        <h2>{`${props.n}. ${props.title}`}</h2>
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

/** The `provider` field: see ProviderSelect. */
export function ProviderField<F extends string>(props: {
  form: FormView<F | 'provider'>;
  texts: ProviderSelectProps['texts'];
}) {
  const { form } = props;
  return (
    <Field form={form} name="provider">
      <ProviderSelect
        errors={form.errors}
        chosen={form.values.provider ?? ''}
        texts={props.texts}
      />
    </Field>
  );
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
  return (
    <Field form={form} name={name} hint={props.hint}>
      <input
        {...control(form.errors, name)}
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
