// The rules of a partner and of a key request, shared by the admin API, the
// back-office forms and the command line: whoever asks, the service parses
// the same way.
import * as z from 'zod';
import type { PartnerKind } from '../db/schema.ts';
import { AppError, type FieldError } from '../shared/errors.ts';
import { providers } from '../shared/providers.ts';
import { emailAddress, lineText } from '../shared/text-input.ts';
import { scopes } from './api-key.ts';

export const partnerKinds = [
  'bank',
  'ewallet',
  'marketplace',
  'police',
  'other',
] as const satisfies readonly PartnerKind[];

export const defaultLimits = { perMinute: 600, perDay: 100_000 } as const;
const maxPerMinute = 1_000_000;
const maxPerDay = 1_000_000_000;

const name = lineText({ max: 200, reason: 'partner.name_invalid' });
const perMinute = z.coerce.number().int().min(1).max(maxPerMinute);
const perDay = z.coerce.number().int().min(1).max(maxPerDay);

/** Provider codes a bank or e-wallet holds: known codes, each once. */
const providerCodes = z
  .array(z.string().max(20))
  .max(50)
  .transform((codes) => [...new Set(codes.map((c) => c.trim()).filter((c) => c !== ''))].sort())
  .refine((codes) => codes.every((c) => providers.byCode(c) !== undefined), {
    error: 'partner.provider_unknown',
  });

export const newPartnerSchema = z.object({
  name,
  kind: z.enum(partnerKinds),
  contactEmail: emailAddress(),
  perMinute: perMinute.default(defaultLimits.perMinute),
  perDay: perDay.default(defaultLimits.perDay),
  providerCodes: providerCodes.default([]),
});
export type NewPartnerInput = z.input<typeof newPartnerSchema>;

export const partnerSettingsSchema = z.object({
  name: name.optional(),
  contactEmail: emailAddress().optional(),
  perMinute: perMinute.optional(),
  perDay: perDay.optional(),
  providerCodes: providerCodes.optional(),
});
export type PartnerSettingsInput = z.input<typeof partnerSettingsSchema>;

export const newKeySchema = z.object({
  label: lineText({ max: 100, reason: 'partner.label_invalid' }),
  scopes: z
    .array(z.enum(scopes))
    .min(1, { error: 'partner.scopes_required' })
    .max(scopes.length * 2)
    .transform((given) => scopes.filter((s) => given.includes(s))),
  expiresAt: z.coerce.date().nullable().optional(),
});
export type NewKeyInput = z.input<typeof newKeySchema>;

export const rollSchema = z.object({
  expireOldInSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(90 * 86_400)
    .default(86_400),
});
export type RollInput = z.input<typeof rollSchema>;

/** Parses or refuses with `validation_failed`, one fault per field (reasons are message keys). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'request');
    if (errors.some((e) => e.field === field)) continue;
    errors.push({ field, reason: issue.message.includes('.') ? issue.message : 'form.invalid' });
  }
  throw new AppError('validation_failed', { errors });
}
