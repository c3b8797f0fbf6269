// The parts the public forms share (report, seller registration,
// normalization): a field's frame of label, hint and error, the attributes
// that tie a control to them, the numbered steps, and the chooser of bank or
// e-wallet. Each form keeps its own texts; these take them translated.
import type { ComponentChildren } from 'preact';
import { providers, type Provider } from '../shared/providers.ts';
import { ErrorIcon } from './icons.tsx';

/** What every control carries: its name, its state, and what describes it. */
export function control(errors: ReadonlyMap<string, string>, name: string) {
  const invalid = errors.has(name);
  return {
    id: name,
    name,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': invalid ? `${name}-hint ${name}-error` : `${name}-hint`,
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
      <optgroup label={texts.banks}>
        {bankOptions.map((o) => (
          <option key={o.code} value={o.code} selected={o.code === chosen}>
            {o.label}
          </option>
        ))}
      </optgroup>
      <optgroup label={texts.ewallets}>
        {ewalletOptions.map((o) => (
          <option key={o.code} value={o.code} selected={o.code === chosen}>
            {o.label}
          </option>
        ))}
      </optgroup>
    </select>
  );
}
