// Who may do what in the back office, written out by hand from the README
// ("Operators and the back office") and from what each role is for. Tests
// compare the code's policy with this table, never with itself: a change to
// src/operators/policy.ts must be made here too, on purpose.
//
// Where the documents are silent the role's purpose decides: a mediator hears
// owners and reporters but never sees a seller registration (its full NIK and
// ID photos); an admin manages operators and reads the audit log but decides
// no case; a reviewer sees reports only.
import type { Role } from '../../src/operators/policy.ts';

const yes = true;
const no = false;

export const permissionTable: Readonly<Record<string, Readonly<Record<Role, boolean>>>> = {
  'dashboard.view': { admin: yes, reviewer: yes, registrar: yes, mediator: yes },
  'operators.manage': { admin: yes, reviewer: no, registrar: no, mediator: no },
  'audit.read': { admin: yes, reviewer: no, registrar: no, mediator: no },
  'reports.review': { admin: no, reviewer: yes, registrar: no, mediator: no },
  'registrations.review': { admin: no, reviewer: no, registrar: yes, mediator: no },
  'normalizations.mediate': { admin: no, reviewer: no, registrar: no, mediator: yes },
  'partners.manage': { admin: yes, reviewer: no, registrar: no, mediator: no },
};

/** The roles the table has a column for, in its order. */
export const tableRoles: readonly Role[] = ['admin', 'reviewer', 'registrar', 'mediator'];

/** Whether the table lets an operator holding these roles do this. */
export function tableAllows(held: readonly Role[], permission: string): boolean {
  const entry = permissionTable[permission];
  if (!entry) throw new Error(`${permission} is not in the permission table`);
  return held.some((role) => entry[role]);
}
