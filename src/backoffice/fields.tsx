// The controls of back-office forms that are not a plain text input (which
// is layout.tsx's Field): selects, text areas, filter inputs, checkboxes and
// radio choices. Each ties its label, hint and error to the control by id, so
// a screen reader reads them with it; the error sits above the control, where
// the eye lands first.
import type { ComponentChildren } from 'preact';

/** The ids that describe a control: its hint and its error, when shown. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function FieldErrorText({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      <span>{message}</span>
    </p>
  );
}

interface LabelledProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error: string | undefined;
}

/** A field's frame: label, hint, error, then the control. */
function Labelled({
  id,
  label,
  hint,
  error,
  children,
}: LabelledProps & { children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldErrorText id={id} message={error} />
      {children}
    </div>
  );
}

export function SelectField(props: LabelledProps & { name?: string; children: ComponentChildren }) {
  const { id, hint, error } = props;
  return (
    <Labelled id={id} label={props.label} hint={hint} error={error}>
      <select
        id={id}
        name={props.name ?? id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {props.children}
      </select>
    </Labelled>
  );
}

export interface InputProps extends LabelledProps {
  readonly name?: string;
  readonly type?: 'text' | 'date' | 'datetime-local' | 'url';
  readonly value: string;
  readonly required?: boolean;
  /** The id of a datalist of suggestions. */
  readonly list?: string;
  /** A filter's input: no spelling marks, no remembered values. */
  readonly filter?: boolean;
}

/** A text input whose error is words only (layout.tsx's Field adds an icon). */
export function InputField(props: InputProps) {
  const { id, hint, error } = props;
  return (
    <Labelled id={id} label={props.label} hint={hint} error={error}>
      <input
        type={props.type ?? 'text'}
        id={id}
        name={props.name ?? id}
        value={props.value}
        list={props.list}
        required={props.required}
        spellcheck={props.filter ? false : undefined}
        autocomplete={props.filter ? 'off' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Labelled>
  );
}

export interface TextAreaProps extends LabelledProps {
  readonly name?: string;
  readonly value: string;
  readonly rows: number;
  readonly maxLength: number;
  readonly required?: boolean;
}

export function TextAreaField(props: TextAreaProps) {
  const { id, hint, error } = props;
  return (
    <Labelled id={id} label={props.label} hint={hint} error={error}>
      <textarea
        id={id}
        name={props.name ?? id}
        rows={props.rows}
        required={props.required}
        maxLength={props.maxLength}
        value={props.value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Labelled>
  );
}

/** A checkbox sending "1" when ticked, its label beside it. */
export function CheckboxField(props: {
  id: string;
  label: string;
  checked: boolean;
  /** The field's class, when it needs more than "field". */
  class?: string;
}) {
  const { id } = props;
  return (
    <div class={props.class ?? 'field'}>
      <label class="choice" for={id}>
        <input type="checkbox" id={id} name={id} value="1" checked={props.checked} />
        <span>{props.label}</span>
      </label>
    </div>
  );
}

export interface ChoiceProps {
  /** The radio's id; its label points at it. */
  readonly id: string;
  readonly name: string;
  readonly value: string;
  readonly checked: boolean;
  readonly required?: boolean;
  readonly label: string;
  /** A line under the label saying what the choice leads to. */
  readonly hint?: string;
}

/** One radio of a list of choices. */
export function Choice(props: ChoiceProps) {
  const { id, hint } = props;
  const name = <span class="choice-name">{props.label}</span>;
  return (
    <label class="choice" for={id}>
      <input
        type="radio"
        id={id}
        name={props.name}
        value={props.value}
        checked={props.checked}
        required={props.required}
      />
      {hint === undefined ? (
        name
      ) : (
        <span>
          {name}
          <span class="choice-hint">{hint}</span>
        </span>
      )}
    </label>
  );
}
