// What a victim submits, validated field by field. The same rules serve the
// API (multipart fields) and the page (the same form), so both name the same
// fields at fault with the same messages.
import * as z from 'zod';
import type { AccountRef } from '../shared/account-number.ts';
import { categoryCodes, type CategoryCode } from '../shared/categories.ts';
import { AppError } from '../shared/errors.ts';
import { parseSubmission, type SubmittedFields } from '../shared/submission-input.ts';
import {
  calendarDate,
  cleanLine,
  emailAddress,
  lineText,
  multiLineText,
  optionalLineText,
  optionalPhoneNumber,
  optionalRupiah,
  phoneNumber,
  safeString,
} from '../shared/text-input.ts';

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

/** Today in Jakarta, as YYYY-MM-DD: a transfer "today" in Indonesia is not in the future. */
export function jakartaDate(now: Date): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

function reportSchema(now: Date) {
  return z.object({
    holderName: lineText({ min: 2, max: 100, reason: 'report.holderName.length' }),
    reportedPhone: optionalPhoneNumber(),
    reportedSocials: optionalLineText(300),
    reportedWebsite: optionalLineText(300),
    category: z.enum(categoryCodes, { error: 'report.category.required' }),
    chronology: multiLineText({ min: 30, max: 5000, reason: 'report.chronology.length' }),
    amount: optionalRupiah('report.amount'),
    transferDate: calendarDate({
      format: 'report.date.format',
      earliest: '2000-01-01',
      latest: jakartaDate(now),
      future: 'report.date.future',
    }),
    incidentTime: safeString()
      .optional()
      .transform((v) => (v === undefined ? '' : cleanLine(v)))
      .pipe(
        z.union([
          z.literal(''),
          z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'report.time.format' }),
        ]),
      )
      .transform((v) => (v === '' ? null : v)),
    platform: lineText({ min: 2, max: 100, reason: 'report.platform.length' }),
    locationDetails: optionalLineText(500),
    city: optionalLineText(100),
    reporterName: lineText({ min: 2, max: 100, reason: 'report.reporterName.length' }),
    reporterEmail: emailAddress(),
    reporterPhone: phoneNumber(),
  });
}

/**
 * Validates the submitted fields; throws `validation_failed` naming every
 * field at fault (the account's included), so a form can show them all at once.
 */
export function parseReportInput(fields: SubmittedFields, now: Date): ReportInput {
  const { account, data: v, errors } = parseSubmission(reportSchema(now), fields);
  if (errors.length || !v || !account) {
    throw new AppError('validation_failed', { errors });
  }
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
