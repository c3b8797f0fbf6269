// The states of a seller registration's public pages and how they are read:
// the registration form (/daftar-penjual), refused as it was typed, and the
// seller's proof (/daftar-penjual/bukti), asked for with the ticket and its
// tracking code.
import * as z from 'zod';
import type { AppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { safeString } from '../shared/text-input.ts';
import {
  canResubmit,
  fieldErrorsOf,
  missingCodes,
  pageOrder,
  prefilledAccount,
  refusedState,
  text,
  valuesOf,
  type FormState,
  type SentForm,
} from '../http/public-form.tsx';
import {
  documentFields,
  registrationFields,
  type RegistrationField,
} from './registration-input.ts';
import type { RegistrationsService, SellerProof } from './registrations.service.ts';

// ---------------------------------------------------------------------------
// The registration form

/** The form's fields in page order. The documents come last: see watchParts. */
export const formFields = [...registrationFields, ...documentFields] as const;
export type FormField = (typeof formFields)[number];
export const registrationOrder = pageOrder(formFields);

export type RegistrationFormValues = Readonly<Partial<Record<RegistrationField, string>>>;

export interface RegistrationFormState extends FormState<RegistrationFormValues> {
  /** The documents chosen were not kept: they must be chosen again. */
  readonly chooseAgain: boolean;
}

export const emptyForm: RegistrationFormState = {
  values: {},
  errors: [],
  chooseAgain: false,
  status: 200,
};

export function refusedForm(error: AppError, sent: SentForm): RegistrationFormState {
  const values = valuesOf(sent, registrationFields);
  return {
    ...refusedState(error, values, fieldErrorsOf(error), registrationOrder),
    // Files are never kept when a form is refused: worth choosing again when it can succeed.
    chooseAgain: (sent.files?.size ?? 0) > 0 && canResubmit(error),
  };
}

/** `?bank=014&nomor=…` (a result page's link): the account, chosen already. */
export function prefillFrom(query: Readonly<Record<string, unknown>>): RegistrationFormValues {
  return prefilledAccount(query);
}

// ---------------------------------------------------------------------------
// The seller's proof

export type ProofField = 'ticket' | 'token';

export interface ProofState {
  readonly ticket: string;
  readonly errors: ReadonlyMap<ProofField, string>;
  readonly proof: SellerProof | undefined;
  readonly notFound: boolean;
}

export const proofBody = z.object({
  tiket: safeString().max(200).optional(),
  token: safeString().max(200).optional(),
});

/** The proof's form, opened (with the ticket from a receipt's link, or none). */
export function proofForm(query: Readonly<Record<string, unknown>>): ProofState {
  return {
    ticket: text(query.tiket).slice(0, 40),
    errors: new Map(),
    proof: undefined,
    notFound: false,
  };
}

/** The proof's form, sent: the proof when the ticket and its code match. */
export async function proofState(
  registrations: RegistrationsService,
  lang: Lang,
  body: z.infer<typeof proofBody> | undefined,
): Promise<ProofState> {
  const ticket = (body?.tiket ?? '').trim();
  const token = (body?.token ?? '').trim();
  const errors = missingCodes(lang, ticket, token);
  if (errors.size > 0) return { ticket, errors, proof: undefined, notFound: false };
  const proof = await registrations.proof(ticket, token);
  return { ticket, errors, proof, notFound: proof === undefined };
}

export function proofStatus(state: ProofState): number {
  if (state.notFound) return 404;
  return state.errors.size > 0 ? 400 : 200;
}
