// What a seller submits to register an account, validated field by field.
// The same rules serve the API (multipart fields) and the page (the same
// form), so both name the same fields at fault with the same messages.
import { z } from 'zod';
import { toAccountRef, type AccountRef } from '../accounts/account-number.ts';
import { checkNik, nikProblemKey } from '../identity/nik.ts';
import { AppError, isAppError, type FieldError } from '../shared/errors.ts';

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

/** Trimmed, inner runs of spaces made one; control characters removed. */
function clean(value: string): string {
  let kept = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    kept += code < 32 || code === 127 ? ' ' : char;
  }
  return kept.replace(/\s+/g, ' ').trim();
}

const text = (min: number, max: number, reason: string) =>
  z
    .string({ error: 'form.required' })
    .transform(clean)
    .pipe(
      z
        .string()
        .min(1, { error: 'form.required' })
        .min(min, { error: reason })
        .max(max, { error: reason })
        .regex(/\p{L}/u, { error: reason }),
    );

const registrationSchema = z.object({
  holderName: text(2, 100, 'registration.holderName.length'),
  businessName: text(2, 100, 'registration.businessName.length'),
  businessType: z.enum(businessTypes, { error: 'registration.businessType.required' }),
  businessTypeOther: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? '' : clean(v)))
    .pipe(z.string().max(100, { error: 'form.tooLong' })),
  nik: z
    .string({ error: 'form.required' })
    .transform(clean)
    .pipe(z.string().min(1, { error: 'form.required' }))
    .transform((v, ctx) => {
      const checked = checkNik(v);
      if (checked.ok) return checked.nik;
      ctx.addIssue({ code: 'custom', message: nikProblemKey(checked.problem) });
      return z.NEVER;
    }),
  phone: z
    .string({ error: 'form.required' })
    .transform((v) => clean(v).replace(/[\s.\-()]/g, ''))
    .pipe(
      z
        .string()
        .min(1, { error: 'form.required' })
        .regex(/^\+?[0-9]{6,20}$/, { error: 'form.phone' }),
    ),
  email: z
    .string({ error: 'form.required' })
    .transform((v) => clean(v).toLowerCase())
    .pipe(
      z
        .string()
        .min(1, { error: 'form.required' })
        .pipe(z.email({ error: 'form.email' }).max(254, { error: 'form.email' })),
    ),
});

function accountOrError(fields: Readonly<Record<string, string | undefined>>) {
  try {
    return { account: toAccountRef(fields.provider ?? '', fields.number ?? '') };
  } catch (error) {
    if (isAppError(error)) return { errors: error.errors };
    throw error;
  }
}

/**
 * Validates the submitted fields, and that each document came; throws
 * `validation_failed` naming every field at fault at once, so a form can
 * show them all.
 */
export function parseRegistrationInput(
  fields: Readonly<Record<string, string | undefined>>,
  documents: Readonly<Partial<Record<DocumentField, number>>>,
): RegistrationInput {
  const { account, errors: accountErrors = [] } = accountOrError(fields);
  const parsed = registrationSchema.safeParse(fields);
  const errors: FieldError[] = [...accountErrors];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'request');
      if (errors.some((e) => e.field === field)) continue;
      const reason = issue.message.includes('.') ? issue.message : 'form.invalid';
      errors.push({ field, reason });
    }
  }
  const other = clean(fields.businessTypeOther ?? '');
  if (
    fields.businessType === 'other' &&
    !other &&
    !errors.some((e) => e.field === 'businessTypeOther')
  ) {
    errors.push({ field: 'businessTypeOther', reason: 'registration.businessTypeOther.required' });
  }
  for (const field of documentFields) {
    if ((documents[field] ?? 0) !== 1) {
      errors.push({ field, reason: `registration.${field}.required` });
    }
  }
  if (errors.length || !parsed.success || !account) {
    throw new AppError('validation_failed', { errors });
  }
  const v = parsed.data;
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
