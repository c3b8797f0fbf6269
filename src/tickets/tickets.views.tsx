// The lost-code page: a form for the ticket number and the e-mail address
// given with the submission, and one confirmation whatever the outcome.
import { ErrorIcon, InfoIcon } from '../http/icons.tsx';
import { FieldFrame } from '../http/form-fields.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { ErrorSummary, LinkedErrors } from '../http/public-form.tsx';

export const lostCodePagePath = '/lacak/kode-baru';

export type LostCodeField = 'ticket' | 'email';

export interface LostCodeState {
  readonly values: { readonly ticket: string; readonly email: string };
  readonly errors: ReadonlyMap<LostCodeField, string>;
  /** Minutes to wait, when the limit of requests was reached. */
  /** When to try again, in words, once the limit is reached. */
  readonly wait?: string;
}

export const emptyLostCodeState: LostCodeState = {
  values: { ticket: '', email: '' },
  errors: new Map(),
};

function describedBy(field: LostCodeField, error: string | undefined): string {
  return error ? `${field}-hint ${field}-error` : `${field}-hint`;
}

export function LostCodePage({ ctx, state }: { ctx: PageContext; state: LostCodeState }) {
  const tr = translator(ctx);
  const { values, errors } = state;
  return (
    <>
      <h1>{tr('lostCode.heading')}</h1>
      <p class="lead">{tr('lostCode.lead')}</p>
      {state.wait !== undefined && (
        <p class="notice notice-caution" role="alert">
          <ErrorIcon />
          <span>{tr('lostCode.limited', { wait: state.wait })}</span>
        </p>
      )}
      {errors.size > 0 && (
        <ErrorSummary title={tr('lostCode.errors.title')}>
          <LinkedErrors errors={errors} label={(field) => tr(`lostCode.${field}`)} />
        </ErrorSummary>
      )}
      <form
        class="card"
        method="post"
        action={href(ctx, lostCodePagePath)}
        aria-label={tr('lostCode.form.label')}
        novalidate
      >
        <FieldFrame
          name="ticket"
          label={tr('lostCode.ticket')}
          hint={tr('lostCode.ticket.hint')}
          error={errors.get('ticket')}
        >
          <input
            type="text"
            class="code-input"
            id="ticket"
            name="tiket"
            value={values.ticket.slice(0, 40)}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            required
            aria-invalid={errors.has('ticket') ? 'true' : undefined}
            aria-describedby={describedBy('ticket', errors.get('ticket'))}
          />
        </FieldFrame>
        <FieldFrame
          name="email"
          label={tr('lostCode.email')}
          hint={tr('lostCode.email.hint')}
          error={errors.get('email')}
        >
          <input
            type="email"
            id="email"
            name="email"
            value={values.email.slice(0, 254)}
            autocomplete="email"
            spellcheck={false}
            required
            aria-invalid={errors.has('email') ? 'true' : undefined}
            aria-describedby={describedBy('email', errors.get('email'))}
          />
        </FieldFrame>
        <button type="submit" class="button button-block">
          {tr('lostCode.submit')}
        </button>
      </form>
    </>
  );
}

/** The same words whether or not the ticket and the address matched. */
export function LostCodeSentPage({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('lostCode.heading')}</h1>
      <section class="notice notice-info" aria-labelledby="lost-code-sent">
        <InfoIcon />
        <div>
          <h2 id="lost-code-sent">{tr('lostCode.sent.title')}</h2>
          <p>{tr('lostCode.sent.text')}</p>
        </div>
      </section>
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, '/lacak')}>
          {tr('lostCode.track')}
        </a>
      </p>
    </>
  );
}
