// The ticket search page: one field for a ticket number, and what went
// wrong when it leads nowhere (not a ticket number, or no such ticket).
import { translator } from '../http/layout.tsx';
import { ErrorSummary, Field, type BackOfficeContext } from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';

export interface TicketSearchState {
  readonly typed: string;
  /** What went wrong, when the number led nowhere. */
  readonly error: string | null;
}

export function TicketSearchPage({
  ctx,
  state,
}: {
  ctx: BackOfficeContext;
  state: TicketSearchState;
}) {
  const tr = translator(ctx);
  const errors = state.error ? [{ field: 'ticket-number', message: state.error }] : [];
  return (
    <div class="narrow">
      <h1>{tr('admin.tickets.title')}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form class="card" method="get" action={adminPaths.tickets} role="search">
        {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
        <Field
          id="ticket-number"
          name="tiket"
          label={tr('admin.tickets.label')}
          hint={tr('admin.tickets.hint')}
          value={state.typed.slice(0, 40)}
          error={state.error ?? undefined}
          autocomplete="off"
          maxLength={40}
          required
          autofocus={!state.error}
          class="code-input"
        />
        <button type="submit" class="button">
          {tr('admin.tickets.submit')}
        </button>
      </form>
    </div>
  );
}
