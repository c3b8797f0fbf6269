// The service's refusals of a form, as a back-office page shows them: each
// field error translated and pointed at the control it belongs to.
import type { PageContext } from '../http/layout.tsx';
import type { FieldError } from '../shared/errors.ts';
import { translateReason } from '../shared/messages.ts';
import type { FormError } from './layout.tsx';

/**
 * The service's field errors, translated and pointed at the form's fields.
 * A form whose controls are not named like the service's fields maps them
 * (`fieldOf`); a field it has no control for is listed without a link.
 */
export function formErrorsOf(
  ctx: PageContext,
  errors: readonly FieldError[],
  fieldOf: (field: string) => string | null = (field) => field,
): FormError[] {
  return errors.map((e) => ({
    field: fieldOf(e.field),
    message: translateReason(ctx.lang, e.reason),
  }));
}
