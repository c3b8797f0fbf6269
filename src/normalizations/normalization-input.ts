// What the owner of a reported account submits to have it normalized,
// validated field by field. The same rules serve the API (multipart fields),
// the public form and the service-desk form, so all name the same fields at
// fault with the same messages.
import * as z from 'zod';
import type { AccountRef } from '../shared/account-number.ts';
import { checkNik, nikProblemKey } from '../shared/nik.ts';
import { AppError, isAppError, type FieldError } from '../shared/errors.ts';
import {
  contactRules,
  parseSubmission,
  requiredLine,
  type SubmittedFields,
} from '../shared/submission-input.ts';
import { cleanLine, lineText, multiLineText } from '../shared/text-input.ts';

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
  nik: requiredLine().pipe(z.string().max(40, { error: 'nik.not_16_digits' })),
  ...contactRules(),
  statement: multiLineText({ min: 30, max: 5000, reason: 'normalization.statement.length' }),
});

/**
 * Validates the submitted fields; throws `validation_failed` naming every
 * field at fault (the account's and the NIK's included), so a form can show
 * them all at once.
 */
export function parseNormalizationInput(fields: SubmittedFields): NormalizationInput {
  const { account, data: v, errors } = parseSubmission(schema, fields);
  // The NIK's structure is judged whatever else is wrong, so every fault shows at once.
  let nik: string | undefined;
  if (!errors.some((e) => e.field === 'nik')) {
    const checked = checkNik(cleanLine(fields.nik ?? ''));
    if (checked.ok) nik = checked.nik;
    else errors.push({ field: 'nik', reason: nikProblemKey(checked.problem) });
  }
  if (errors.length || !v || !account || nik === undefined) {
    throw new AppError('validation_failed', { errors });
  }
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
  fields: SubmittedFields,
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
