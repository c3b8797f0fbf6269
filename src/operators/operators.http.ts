// The operators' API bodies: the shapes of an operator and of a change
// request as they leave (output whitelists), and what every admin route may
// answer instead. Shared by the session, operator, dashboard and audit routes.
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import { rowId } from '../shared/text-input.ts';
import { roles } from './policy.ts';
import type { Operator } from './operators.service.ts';
import { changeKinds, changeStatuses, type ChangeRequest } from './operator-changes.service.ts';

export const operatorSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    roles: z.array(z.enum(roles)),
    mustChangePassword: z.boolean(),
    totpEnrolled: z.boolean(),
    disabled: z.boolean(),
    locked: z.boolean(),
    lastSignInAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Operator' });

export function toOperatorBody(operator: Operator): z.infer<typeof operatorSchema> {
  return {
    id: operator.id,
    email: operator.email,
    roles: [...operator.roles],
    mustChangePassword: operator.mustChangePassword,
    totpEnrolled: operator.totpEnrolled,
    disabled: operator.disabled,
    locked: operator.locked,
    lastSignInAt: operator.lastSignInAt?.toISOString() ?? null,
    createdAt: operator.createdAt.toISOString(),
  };
}

const personSchema = z.object({ id: z.number().int(), email: z.string() });

export const changeRequestSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(changeKinds),
    status: z.enum(changeStatuses),
    operatorId: z
      .number()
      .int()
      .nullable()
      .describe('The operator the change is for; for `create`, the new operator once approved.'),
    email: z.string().nullable(),
    roles: z.array(z.enum(roles)).nullable(),
    requestedBy: personSchema,
    requestedAt: z.iso.datetime(),
    decidedBy: personSchema.nullable(),
    decidedAt: z.iso.datetime().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'OperatorChangeRequest' });

export function toChangeRequestBody(r: ChangeRequest): z.infer<typeof changeRequestSchema> {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    operatorId: r.operatorId,
    email: r.email,
    roles: r.roles ? [...r.roles] : null,
    requestedBy: { ...r.requestedBy },
    requestedAt: r.requestedAt.toISOString(),
    decidedBy: r.decidedBy ? { ...r.decidedBy } : null,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    reason: r.reason,
  };
}

/** With OPERATOR_CHANGE_APPROVAL on, an operator change answers this instead. */
export const pendingBody = z
  .object({ request: changeRequestSchema })
  .describe('The change waits for a second admin (OPERATOR_CHANGE_APPROVAL=on).');

export const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  429: problemSchema,
};
export const idParams = z.object({ id: rowId() });
