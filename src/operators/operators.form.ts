// What the dashboard and operator pages read beyond their paths: the roles
// ticked in a form, the notice named after a redirect, and what a form that
// comes back with errors keeps.
import * as z from 'zod';
import { checkboxes, rowId, safeString } from '../shared/text-input.ts';
import type { FormError } from '../backoffice/layout.tsx';

export const idParams = z.object({
  id: rowId(),
});

export const newOperatorBody = z.object({
  email: safeString().max(320).optional(),
  roles: checkboxes,
});

export const rolesBody = z.object({ roles: checkboxes });

/** Notices after a redirect (`?info=`), read by noticeOf; anything else is ignored. */
export const dashboardNotices = ['enrolled', 'password_changed'] as const;
export type DashboardNotice = (typeof dashboardNotices)[number];

export const operatorNotices = [
  'roles_changed',
  'disabled',
  'enabled',
  'totp_reset',
  'requested',
] as const;
export type OperatorNotice = (typeof operatorNotices)[number];

/** The form that creates an operator, as it comes back to be corrected. */
export interface NewOperatorForm {
  readonly email: string;
  readonly checked: readonly string[];
  readonly errors: readonly FormError[];
  readonly status?: number;
}

/** What the operator page shows again after a refused change. */
export interface OperatorForm {
  readonly errors?: readonly FormError[];
  readonly checked?: readonly string[];
  readonly status?: number;
}
