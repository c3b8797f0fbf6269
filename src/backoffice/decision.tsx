// A record's page in a staff queue: its top (the way back, the heading, what
// just happened, what was refused, what to fix) and the decision form, a
// choice with its reason and an optional note.
import type { ComponentChildren } from 'preact';
import { href } from '../http/layout.tsx';
import { ConflictNotice, type ClaimConflict } from './claims.tsx';
import { Choice, FieldErrorText, SelectField, type ChoiceProps } from './fields.tsx';
import {
  CsrfField,
  ErrorSummary,
  Notice,
  type BackOfficeContext,
  type FormError,
} from './layout.tsx';
import { Breadcrumb } from './queue.tsx';

export function RecordTop(props: {
  ctx: BackOfficeContext;
  /** The queue, and the words of the link back to it. */
  back: { path: string; text: string };
  title: string;
  /** What the last change did (after its redirect). */
  notice: string | null;
  conflict: { code: ClaimConflict; text: string } | null;
  errors: readonly FormError[];
}) {
  const { ctx, conflict } = props;
  return (
    <>
      <Breadcrumb ctx={ctx} path={props.back.path} text={props.back.text} />
      <h1 class="record-heading">{props.title}</h1>
      {props.notice && <Notice>{props.notice}</Notice>}
      {conflict && <ConflictNotice ctx={ctx} conflict={conflict.code} text={conflict.text} />}
      <ErrorSummary ctx={ctx} errors={props.errors} />
    </>
  );
}

export interface ReasonGroup {
  readonly label: string;
  readonly reasons: readonly { readonly value: string; readonly text: string }[];
}

/** The reasons a decision may give, grouped by the decision they go with. */
export function ReasonSelect(props: {
  id: string;
  label: string;
  hint?: string;
  /** The empty first option. */
  choose: string;
  value: string;
  error: string | undefined;
  groups: readonly ReasonGroup[];
}) {
  return (
    <SelectField
      id={props.id}
      name="reason"
      label={props.label}
      hint={props.hint}
      error={props.error}
    >
      <option value="">{props.choose}</option>
      {props.groups.map((group) => (
        <optgroup key={group.label} label={group.label}>
          {group.reasons.map((reason) => (
            <option key={reason.value} value={reason.value} selected={props.value === reason.value}>
              {reason.text}
            </option>
          ))}
        </optgroup>
      ))}
    </SelectField>
  );
}

export type DecisionChoice = Omit<ChoiceProps, 'id' | 'name'>;

/** The decision: a choice (radios named "decision"), then the reason and note the page adds. */
export function DecisionSection(props: {
  ctx: BackOfficeContext;
  action: string;
  title: string;
  legend: string;
  error: string | undefined;
  choices: readonly DecisionChoice[];
  submit: string;
  children: ComponentChildren;
}) {
  const { ctx, error } = props;
  return (
    <section class="card review-decision" aria-labelledby="decision-title">
      <h2 id="decision-title">{props.title}</h2>
      <form method="post" action={href(ctx, props.action)} novalidate>
        <CsrfField ctx={ctx} />
        <fieldset class="choices-list" aria-describedby={error ? 'decision-error' : undefined}>
          <legend id="decision">{props.legend}</legend>
          <FieldErrorText id="decision" message={error} />
          {props.choices.map((choice) => (
            <Choice
              key={choice.value}
              {...choice}
              id={`decision-${choice.value}`}
              name="decision"
            />
          ))}
        </fieldset>
        {props.children}
        <button type="submit" class="button">
          {props.submit}
        </button>
      </form>
    </section>
  );
}
