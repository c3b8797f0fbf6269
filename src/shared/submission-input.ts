// What the public submissions (a report, a seller registration, a request for
// normalization) read alike: the account they are about, the submitter's
// phone and e-mail address, an identity number typed as a line, and every
// fault named per field at once, so that each form shows them all together
// and the three never drift apart on the same field.
import * as z from 'zod';
import { toAccountRef, type AccountRef } from './account-number.ts';
import { isAppError, type FieldError } from './errors.ts';
import { cleanLine, emailAddress, phoneNumber, safeString } from './text-input.ts';

/** A submission's text fields as they came (multipart fields or a form). */
export type SubmittedFields = Readonly<Record<string, string | undefined>>;

/** The submitter's contact: a phone number and an e-mail address, both required. */
export function contactRules() {
  return { phone: phoneNumber(), email: emailAddress() };
}

/** A required line read as typed, cleaned, for a number judged after (the NIK). */
export function requiredLine() {
  return safeString({ required: 'form.required' })
    .transform(cleanLine)
    .pipe(z.string().min(1, { error: 'form.required' }));
}

/** The account; a number copied from a chat app may carry invisible direction marks. */
function accountOrError(fields: SubmittedFields): {
  account?: AccountRef;
  errors?: readonly FieldError[];
} {
  try {
    return {
      account: toAccountRef(cleanLine(fields.provider ?? ''), cleanLine(fields.number ?? '')),
    };
  } catch (error) {
    if (isAppError(error)) return { errors: error.errors };
    throw error;
  }
}

export interface ParsedSubmission<T> {
  /** Undefined when the provider or the number is at fault. */
  readonly account: AccountRef | undefined;
  /** Undefined when a field is at fault. */
  readonly data: T | undefined;
  /** The account's faults, then the first fault of each other field; more may be added. */
  readonly errors: FieldError[];
}

/**
 * Reads the account and the fields the schema names, gathering every fault:
 * a field's first only, with a reason that is a message key (`form.invalid`
 * for zod's own messages).
 */
export function parseSubmission<S extends z.ZodType>(
  schema: S,
  fields: SubmittedFields,
): ParsedSubmission<z.output<S>> {
  const { account, errors: accountErrors = [] } = accountOrError(fields);
  const parsed = schema.safeParse(fields);
  const errors: FieldError[] = [...accountErrors];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'request');
      if (errors.some((e) => e.field === field)) continue;
      const reason = issue.message.includes('.') ? issue.message : 'form.invalid';
      errors.push({ field, reason });
    }
  }
  return { account, data: parsed.success ? parsed.data : undefined, errors };
}
