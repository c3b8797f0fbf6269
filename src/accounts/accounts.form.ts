// The check form of the public pages: what a person typed, turned into an
// account or into one message per field at fault. Knows no HTTP, so the same
// rules serve the form (/cek) and hand-typed result URLs (/rekening/…).
import { isAppError } from '../shared/errors.ts';
import { cleanLine } from '../shared/text-input.ts';
import {
  normalizeBankNumber,
  normalizeMobileNumber,
  toAccountRef,
  type AccountRef,
} from '../shared/account-number.ts';
import {
  providers as defaultProviders,
  type ProviderKind,
  type ProviderRegistry,
} from '../shared/providers.ts';

export type CheckFormField = 'bank' | 'ewallet' | 'number';

export interface CheckFormValues {
  readonly kind: ProviderKind;
  /** What was typed into the bank chooser: a code, a name, or a label "014 · BCA — …". */
  readonly bank: string;
  /** The e-wallet chosen (a slug). */
  readonly ewallet: string;
  readonly number: string;
}

export interface CheckFormError {
  readonly field: CheckFormField;
  /** A message key (src/shared/messages.ts). */
  readonly reason: string;
}

export type CheckFormOutcome =
  { readonly account: AccountRef } | { readonly errors: readonly CheckFormError[] };

export const emptyCheckForm: CheckFormValues = { kind: 'bank', bank: '', ewallet: '', number: '' };

/** The form's fields as they arrive in the query (jenis, bank, ewallet, nomor). */
export const checkFormFields = ['jenis', 'bank', 'ewallet', 'nomor'] as const;

/** A repeated parameter counts by its first value; anything else is empty. */
function text(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

export function readCheckForm(query: Readonly<Record<string, unknown>>): CheckFormValues {
  return {
    kind: text(query.jenis) === 'ewallet' ? 'ewallet' : 'bank',
    bank: text(query.bank),
    ewallet: text(query.ewallet),
    number: text(query.nomor),
  };
}

/** A result URL as if it had been typed into the form, so both answer alike. */
export function valuesFromPath(
  provider: string,
  number: string,
  registry: ProviderRegistry = defaultProviders,
): CheckFormValues {
  const found = registry.resolveLabel(provider);
  return found?.kind === 'ewallet'
    ? { kind: 'ewallet', bank: '', ewallet: found.code, number }
    : { kind: 'bank', bank: provider, ewallet: '', number };
}

function numberReason(kind: ProviderKind, number: string): string | undefined {
  const result = kind === 'bank' ? normalizeBankNumber(number) : normalizeMobileNumber(number);
  return 'problem' in result ? `number.${result.problem}` : undefined;
}

/**
 * Resolves the chooser of the chosen kind only (an e-wallet typed into the
 * bank chooser is refused, so the number is read by the rules the person
 * expects), and reports every field at fault at once.
 */
export function resolveCheckForm(
  values: CheckFormValues,
  registry: ProviderRegistry = defaultProviders,
): CheckFormOutcome {
  const providerField = values.kind === 'bank' ? 'bank' : 'ewallet';
  const typed = cleanLine(values.kind === 'bank' ? values.bank : values.ewallet);
  // A number copied from a chat app often comes between invisible direction marks.
  const number = cleanLine(values.number);
  const provider = registry.resolveLabel(typed);
  if (provider?.kind !== values.kind) {
    const errors: CheckFormError[] = [{ field: providerField, reason: 'provider.unknown' }];
    const reason = numberReason(values.kind, number);
    if (reason) errors.push({ field: 'number', reason });
    return { errors };
  }
  try {
    return { account: toAccountRef(provider.code, number, registry) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      errors: error.errors.map((e) => ({
        field: e.field === 'number' ? 'number' : providerField,
        reason: e.reason,
      })),
    };
  }
}

export { resultPath } from './accounts.http.ts';
