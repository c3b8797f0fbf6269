// What the owner of a reported account submits to have it normalized,
// validated field by field. The same rules serve the API (multipart fields),
// the public form and the service-desk form, so all name the same fields at
// fault with the same messages.
import { z } from 'zod';
import { toAccountRef, type AccountRef } from '../shared/account-number.ts';
import { checkNik, nikProblemKey } from '../shared/nik.ts';
import { AppError, isAppError, type FieldError } from '../shared/errors.ts';
import {
  cleanLine,
  emailAddress,
  lineText,
  multiLineText,
  phoneNumber,
  safeString,
} from '../shared/text-input.ts';

export interface OwnerContact {
  readonly phone: string;
  readonly email: string;
}

export interface NormalizationInput {
  readonly account: AccountRef;
  readonly holderName: string;
  /** 16 digits, structurally valid. */
  readonly nik: string;
  readonly contact: OwnerContact;
  readonly statement: string;
}

/** The text fields of the form, in page order. */
export const normalizationFields = [
  'provider',
  'number',
  'holderName',
  'nik',
  'phone',
  'email',
  'statement',
] as const;

export type NormalizationField = (typeof normalizationFields)[number];

/** The file fields: one photo each of the savings book and the ID card, 1–5 evidence files. */
export const normalizationFileFields = ['savingsBookPhoto', 'idCardPhoto', 'evidence'] as const;
export type NormalizationFileField = (typeof normalizationFileFields)[number];

export const maxEvidenceFiles = 5;
/** 5 evidence files and the two identity photos. */
export const maxNormalizationFiles = maxEvidenceFiles + 2;

const schema = z.object({
  holderName: lineText({ min: 2, max: 100, reason: 'normalization.holderName.length' }),
  nik: safeString({ required: 'form.required' })
    .transform(cleanLine)
    .pipe(z.string().min(1, { error: 'form.required' }).max(40, { error: 'nik.not_16_digits' })),
  phone: phoneNumber(),
  email: emailAddress(),
  statement: multiLineText({ min: 30, max: 5000, reason: 'normalization.statement.length' }),
});

/** The account; a number copied from a chat app may carry invisible direction marks. */
function accountOrError(fields: Readonly<Record<string, string | undefined>>) {
  try {
    return {
      account: toAccountRef(cleanLine(fields.provider ?? ''), cleanLine(fields.number ?? '')),
    };
  } catch (error) {
    if (isAppError(error)) return { errors: error.errors };
    throw error;
  }
}

/**
 * Validates the submitted fields; throws `validation_failed` naming every
 * field at fault (the account's and the NIK's included), so a form can show
 * them all at once.
 */
export function parseNormalizationInput(
  fields: Readonly<Record<string, string | undefined>>,
): NormalizationInput {
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
  // The NIK's structure is judged whatever else is wrong, so every fault shows at once.
  let nik: string | undefined;
  if (!errors.some((e) => e.field === 'nik')) {
    const checked = checkNik(cleanLine(fields.nik ?? ''));
    if (checked.ok) nik = checked.nik;
    else errors.push({ field: 'nik', reason: nikProblemKey(checked.problem) });
  }
  if (errors.length || !parsed.success || !account || nik === undefined) {
    throw new AppError('validation_failed', { errors });
  }
  const v = parsed.data;
  return {
    account,
    holderName: v.holderName,
    nik,
    contact: { phone: v.phone, email: v.email },
    statement: v.statement,
  };
}

/** Throws `validation_failed` naming each file field whose count is wrong. */
export function checkNormalizationFiles(counts: Readonly<Record<string, number>>): void {
  const errors: FieldError[] = [];
  if ((counts.savingsBookPhoto ?? 0) !== 1) {
    errors.push({ field: 'savingsBookPhoto', reason: 'normalization.savingsBookPhoto.required' });
  }
  if ((counts.idCardPhoto ?? 0) !== 1) {
    errors.push({ field: 'idCardPhoto', reason: 'normalization.idCardPhoto.required' });
  }
  const evidence = counts.evidence ?? 0;
  if (evidence < 1 || evidence > maxEvidenceFiles) {
    errors.push({ field: 'evidence', reason: 'normalization.evidence.count' });
  }
  if (errors.length) throw new AppError('validation_failed', { errors });
}

/**
 * The fields and the file counts together: every fault at once, the files'
 * included, so a form never asks twice.
 */
export function parseNormalizationSubmission(
  fields: Readonly<Record<string, string | undefined>>,
  counts: Readonly<Record<string, number>>,
): NormalizationInput {
  const errors: FieldError[] = [];
  let input: NormalizationInput | undefined;
  try {
    input = parseNormalizationInput(fields);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'validation_failed') throw error;
    errors.push(...error.errors);
  }
  try {
    checkNormalizationFiles(counts);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'validation_failed') throw error;
    errors.push(...error.errors);
  }
  if (errors.length || !input) throw new AppError('validation_failed', { errors });
  return input;
}
