// What the partner pages read: the fields of the partner, settings and key
// forms as they are posted (strings; the service applies the rules), and the
// notices named after a redirect.
import * as z from 'zod';
import { checkboxes, rowId, safeString } from '../shared/text-input.ts';
import type { FormError } from '../backoffice/layout.tsx';

const text = (max: number) => safeString().max(max).optional();

export const partnerParams = z.object({ id: rowId() });
export const keyParams = z.object({ id: rowId(), keyId: rowId() });
export const webhookDeliveryParams = z.object({
  id: rowId(),
  endpointId: z.string().regex(/^we_[a-z2-7]{1,64}$/),
  deliveryId: z.string().regex(/^msg_[A-Za-z0-9]{1,64}$/),
});

export const newPartnerBody = z.object({
  name: text(300),
  kind: text(40),
  contactEmail: text(320),
  perMinute: text(20),
  perDay: text(20),
});
export type NewPartnerBody = z.infer<typeof newPartnerBody>;

export const settingsBody = z.object({
  name: text(300),
  contactEmail: text(320),
  perMinute: text(20),
  perDay: text(20),
  providerCodes: text(1000),
});
export type SettingsBody = z.infer<typeof settingsBody>;

export const newKeyBody = z.object({
  label: text(200),
  scopes: checkboxes,
  expiresOn: text(20),
});
export type NewKeyBody = z.infer<typeof newKeyBody>;

export const rollBody = z.object({ expireOldInSeconds: text(20) });

/** A number field: left empty, it is not sent to the service (its default holds). */
export function numberField(value: string | undefined): number | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : Number(trimmed);
}

/** Provider codes typed as "014, 008" or one per line. */
export function codesField(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,;]+/).filter((c) => c !== '');
}

/** A date field (YYYY-MM-DD): the key expires at the start of that day, UTC. */
export function expiryField(value: string | undefined): string | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : `${trimmed}T00:00:00Z`;
}

export const partnerNotices = ['created', 'updated', 'revoked', 'webhookRetried'] as const;
export type PartnerNotice = (typeof partnerNotices)[number];

/** A form that comes back to be corrected: what was typed and what to fix. */
export interface RefusedForm<T> {
  readonly values: T;
  readonly errors: readonly FormError[];
}
