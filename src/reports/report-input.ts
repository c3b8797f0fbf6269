// What a victim submits, validated field by field. The same rules serve the
// API (multipart fields) and the page (the same form), so both name the same
// fields at fault with the same messages.
import { z } from 'zod';
import { toAccountRef, type AccountRef } from '../accounts/account-number.ts';
import { categoryCodes, type CategoryCode } from '../accounts/categories.ts';
import { AppError, isAppError, type FieldError } from '../shared/errors.ts';

export interface ReportInput {
  readonly account: AccountRef;
  readonly holderName: string;
  readonly reportedPhone: string | null;
  readonly reportedSocials: string | null;
  readonly reportedWebsite: string | null;
  readonly category: CategoryCode;
  readonly chronology: string;
  readonly amount: number | null;
  readonly transferDate: string;
  readonly incidentTime: string | null;
  readonly platform: string;
  readonly locationDetails: string | null;
  readonly city: string | null;
  readonly reporter: Reporter;
}

export interface Reporter {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

/** The text fields of the report form, in the order of its steps. */
export const reportFields = [
  'provider',
  'number',
  'holderName',
  'reportedPhone',
  'reportedSocials',
  'reportedWebsite',
  'category',
  'transferDate',
  'incidentTime',
  'amount',
  'platform',
  'locationDetails',
  'city',
  'chronology',
  'reporterName',
  'reporterEmail',
  'reporterPhone',
] as const;

export type ReportField = (typeof reportFields)[number];

/** Trimmed text; control characters other than line breaks and tabs removed. */
function clean(value: string): string {
  let kept = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    const control = (code < 32 && char !== '\n' && char !== '\r' && char !== '\t') || code === 127;
    if (!control) kept += char;
  }
  return kept.trim();
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
        .max(max, { error: reason }),
    );

const optionalText = (max: number, reason: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined ? '' : clean(v)))
    .pipe(z.string().max(max, { error: reason }))
    .transform((v) => (v === '' ? null : v));

const phone = z
  .string()
  .transform((v) => clean(v).replace(/[\s.\-()]/g, ''))
  .pipe(z.string().regex(/^\+?[0-9]{6,20}$/, { error: 'form.phone' }));

/** Today in Jakarta, as YYYY-MM-DD: a transfer "today" in Indonesia is not in the future. */
export function jakartaDate(now: Date): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

function reportSchema(now: Date) {
  const today = jakartaDate(now);
  return z.object({
    holderName: text(2, 100, 'report.holderName.length'),
    reportedPhone: z
      .string()
      .optional()
      .transform((v) => (v && clean(v) ? clean(v) : undefined))
      .pipe(phone.optional())
      .transform((v) => v ?? null),
    reportedSocials: optionalText(300, 'form.tooLong'),
    reportedWebsite: optionalText(300, 'form.tooLong'),
    category: z.enum(categoryCodes, { error: 'report.category.required' }),
    chronology: text(30, 5000, 'report.chronology.length'),
    amount: z
      .string()
      .optional()
      .transform((v) => (v === undefined ? '' : clean(v).replace(/[.\s]/g, '').replace(/^rp/i, '')))
      .pipe(z.union([z.literal(''), z.string().regex(/^[0-9]{1,13}$/, { error: 'report.amount' })]))
      .transform((v) => (v === '' ? null : Number(v))),
    transferDate: z
      .string({ error: 'form.required' })
      .transform(clean)
      .pipe(
        z
          .string()
          .min(1, { error: 'form.required' })
          .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'report.date.format' })
          .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && v >= '2000-01-01', {
            error: 'report.date.format',
          })
          .refine((v) => v <= today, { error: 'report.date.future' }),
      ),
    incidentTime: z
      .string()
      .optional()
      .transform((v) => (v === undefined ? '' : clean(v)))
      .pipe(
        z.union([
          z.literal(''),
          z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'report.time.format' }),
        ]),
      )
      .transform((v) => (v === '' ? null : v)),
    platform: text(2, 100, 'report.platform.length'),
    locationDetails: optionalText(500, 'form.tooLong'),
    city: optionalText(100, 'form.tooLong'),
    reporterName: text(2, 100, 'report.reporterName.length'),
    reporterEmail: z
      .string({ error: 'form.required' })
      .transform((v) => clean(v).toLowerCase())
      .pipe(z.email({ error: 'form.email' }).max(254, { error: 'form.email' })),
    reporterPhone: z.string({ error: 'form.required' }).pipe(phone),
  });
}

function accountOrError(fields: Readonly<Record<string, string | undefined>>) {
  try {
    return { account: toAccountRef(fields.provider ?? '', fields.number ?? '') };
  } catch (error) {
    if (isAppError(error)) return { errors: error.errors };
    throw error;
  }
}

/**
 * Validates the submitted fields; throws `validation_failed` naming every
 * field at fault (the account's included), so a form can show them all at once.
 */
export function parseReportInput(
  fields: Readonly<Record<string, string | undefined>>,
  now: Date,
): ReportInput {
  const { account, errors: accountErrors = [] } = accountOrError(fields);
  const parsed = reportSchema(now).safeParse(fields);
  const errors: FieldError[] = [...accountErrors];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'request');
      if (errors.some((e) => e.field === field)) continue;
      const reason = issue.message.includes('.') ? issue.message : 'form.invalid';
      errors.push({ field, reason });
    }
  }
  if (errors.length || !parsed.success || !account) {
    throw new AppError('validation_failed', { errors });
  }
  const v = parsed.data;
  return {
    account,
    holderName: v.holderName,
    reportedPhone: v.reportedPhone,
    reportedSocials: v.reportedSocials,
    reportedWebsite: v.reportedWebsite,
    category: v.category,
    chronology: v.chronology,
    amount: v.amount,
    transferDate: v.transferDate,
    incidentTime: v.incidentTime,
    platform: v.platform,
    locationDetails: v.locationDetails,
    city: v.city,
    reporter: { name: v.reporterName, email: v.reporterEmail, phone: v.reporterPhone },
  };
}
