// What a seller submits to register an account, validated field by field.
// The same rules serve the API (multipart fields) and the page (the same
// form), so both name the same fields at fault with the same messages.
import * as z from 'zod';
import type { AccountRef } from '../shared/account-number.ts';
import { checkNik, nikProblemKey } from '../shared/nik.ts';
import { AppError } from '../shared/errors.ts';
import {
  contactRules,
  parseSubmission,
  requiredLine,
  type SubmittedFields,
} from '../shared/submission-input.ts';
import { cleanLine, lineText, optionalLineText } from '../shared/text-input.ts';

/** Kinds of business a seller chooses from; "other" asks for a description. */
export const businessTypes = [
  'fashion',
  'electronics',
  'food_beverage',
  'health_beauty',
  'household',
  'hobbies_toys',
  'automotive',
  'agriculture',
  'handicraft',
  'digital_goods',
  'tickets_travel',
  'services',
  'other',
] as const;

export type BusinessType = (typeof businessTypes)[number];

export function isBusinessType(value: string): value is BusinessType {
  return (businessTypes as readonly string[]).includes(value);
}

/** The three documents, each one file: all identity documents, so all stored as sensitive. */
export const documentFields = ['businessPermit', 'savingsBookPhoto', 'idCardPhoto'] as const;
export type DocumentField = (typeof documentFields)[number];

/** The text fields of the form, in page order. */
export const registrationFields = [
  'provider',
  'number',
  'holderName',
  'businessName',
  'businessType',
  'businessTypeOther',
  'nik',
  'phone',
  'email',
] as const;

export type RegistrationField = (typeof registrationFields)[number];

export interface SellerContact {
  readonly phone: string;
  readonly email: string;
}

export interface RegistrationInput {
  readonly account: AccountRef;
  readonly holderName: string;
  readonly businessName: string;
  readonly businessType: BusinessType;
  /** What the business is, when its type is "other". */
  readonly businessTypeOther: string | null;
  /** 16 digits, structurally valid. */
  readonly nik: string;
  readonly contact: SellerContact;
}

/** A name: a line of text with at least one letter in it. */
const name = (min: number, max: number, reason: string) =>
  lineText({ min, max, reason }).refine((v) => /\p{L}/u.test(v), { error: reason });

const registrationSchema = z.object({
  holderName: name(2, 100, 'registration.holderName.length'),
  businessName: name(2, 100, 'registration.businessName.length'),
  businessType: z.enum(businessTypes, { error: 'registration.businessType.required' }),
  businessTypeOther: optionalLineText(100),
  nik: requiredLine().transform((v, ctx) => {
    const checked = checkNik(v);
    if (checked.ok) return checked.nik;
    ctx.addIssue({ code: 'custom', message: nikProblemKey(checked.problem) });
    return z.NEVER;
  }),
  ...contactRules(),
});

/**
 * Validates the submitted fields, and that each document came; throws
 * `validation_failed` naming every field at fault at once, so a form can
 * show them all.
 */
export function parseRegistrationInput(
  fields: SubmittedFields,
  documents: Readonly<Partial<Record<DocumentField, number>>>,
): RegistrationInput {
  const { account, data: v, errors } = parseSubmission(registrationSchema, fields);
  if (
    fields.businessType === 'other' &&
    !cleanLine(fields.businessTypeOther ?? '') &&
    !errors.some((e) => e.field === 'businessTypeOther')
  ) {
    errors.push({ field: 'businessTypeOther', reason: 'registration.businessTypeOther.required' });
  }
  for (const field of documentFields) {
    if ((documents[field] ?? 0) !== 1) {
      errors.push({ field, reason: `registration.${field}.required` });
    }
  }
  if (errors.length || !v || !account) {
    throw new AppError('validation_failed', { errors });
  }
  return {
    account,
    holderName: v.holderName,
    businessName: v.businessName,
    businessType: v.businessType,
    businessTypeOther: v.businessType === 'other' ? v.businessTypeOther : null,
    nik: v.nik,
    contact: { phone: v.phone, email: v.email },
  };
}
