// What the mediator's pages show alike: a request's account and status
// badges, the files of a request (evidence shown, identity documents and
// answers as links), and the parts of the request's forms.
import type { ComponentChildren } from 'preact';
import { providers } from '../shared/providers.ts';
import type { NormalizationStatus } from '../db/schema.ts';
import type { FileRecord } from '../files/files.service.ts';
import { WarningIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import {
  InputField,
  TextAreaField,
  type InputProps,
  type TextAreaProps,
} from '../backoffice/fields.tsx';
import {
  CsrfField,
  fieldError,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { operatorLabel } from '../backoffice/claims.tsx';
import type { NormalizationDetail } from './normalizations.service.ts';
import { caseFilePath, maxReasonLength, type Typed } from './mediation.form.ts';

export function accountText(provider: string, number: string): string {
  const known = providers.resolve(provider);
  return `${known?.shortName ?? provider} ${number}`;
}

function statusBadge(status: NormalizationStatus): string {
  if (status === 'granted') return 'badge badge-ok';
  if (status === 'denied') return 'badge badge-off';
  return 'badge badge-warn';
}

export function StatusBadges(props: {
  ctx: PageContext;
  status: NormalizationStatus;
  overdue: boolean;
  channel: string;
}) {
  const tr = translator(props.ctx);
  return (
    <ul class="badges">
      <li class={statusBadge(props.status)}>{tr(`mediation.status.${props.status}`)}</li>
      {props.overdue && (
        <li class="badge nz-badge-late">
          <WarningIcon />
          {tr('mediation.overdue')}
        </li>
      )}
      {props.channel === 'service_desk' && (
        <li class="badge badge-off">{tr('mediation.channel.service_desk')}</li>
      )}
    </ul>
  );
}

function fieldLabel(field: string): 'savingsBookPhoto' | 'idCardPhoto' | 'evidence' | 'answer' {
  if (field === 'savingsBookPhoto' || field === 'idCardPhoto' || field === 'answer') return field;
  return 'evidence';
}

/** Evidence is shown; identity documents and answers only as links, opened when needed. */
export function Files(props: { ctx: PageContext; caseId: number; files: readonly FileRecord[] }) {
  const tr = translator(props.ctx);
  if (props.files.length === 0) return <p class="small">{tr('mediation.files.none')}</p>;
  return (
    <ul class="review-evidence">
      {props.files.map((f, index) => {
        const url = href(props.ctx, caseFilePath(props.caseId, f.id));
        const label = tr(`mediation.file.${fieldLabel(f.field)}`, { n: index + 1 });
        if (f.sensitive || !f.mime.startsWith('image/')) {
          return (
            <li key={f.id} class="review-evidence-file">
              <a href={url}>{label}</a>
              {f.sensitive && <span class="small">{` ${tr('mediation.file.audited')}`}</span>}
            </li>
          );
        }
        return (
          <li key={f.id}>
            <figure>
              <a href={url}>
                <img src={url} alt={label} loading="lazy" />
              </a>
              <figcaption class="small">{f.originalName ?? label}</figcaption>
            </figure>
          </li>
        );
      })}
    </ul>
  );
}

/** The forms' controls find their error in the form's list by their id. */
type WithErrors<P> = Omit<P, 'error'> & { errors: readonly FormError[] };

export function TextArea(props: WithErrors<Omit<TextAreaProps, 'rows' | 'maxLength'>>) {
  const { errors, ...field } = props;
  return (
    <TextAreaField
      {...field}
      rows={4}
      maxLength={maxReasonLength}
      error={fieldError(errors, props.id)}
    />
  );
}

export function Input(props: WithErrors<InputProps>) {
  const { errors, ...field } = props;
  return <InputField {...field} error={fieldError(errors, props.id)} />;
}

/** What a section of a request's page gets: the request, and a refused form as typed. */
export interface CaseSectionProps {
  readonly ctx: BackOfficeContext;
  readonly detail: NormalizationDetail;
  readonly typed: Typed | null;
  readonly errors: readonly FormError[];
}

/** The operator named on the request, or a dash for none. */
export function operatorOrDash(detail: NormalizationDetail, id: number | null): string {
  return id === null ? '—' : operatorLabel(detail.operators, id);
}

/** One of a request's forms: a titled form that posts with the CSRF token. */
export function ActionForm(props: {
  ctx: BackOfficeContext;
  action: string;
  title: string;
  titleId: string;
  children: ComponentChildren;
  submit: string;
}) {
  return (
    <form
      class="action-form nz-action"
      method="post"
      action={href(props.ctx, props.action)}
      aria-labelledby={props.titleId}
    >
      <h3 id={props.titleId} class="form-title">
        {props.title}
      </h3>
      <CsrfField ctx={props.ctx} />
      {props.children}
      <button type="submit" class="button">
        {props.submit}
      </button>
    </form>
  );
}
