// Who may do what in the back office: one table, checked on every admin route
// and page (routes declare a permission; app.ts refuses to register an admin
// route without one, and a test walks every role against every route).
export const roles = ['admin', 'reviewer', 'registrar', 'mediator'] as const;
export type Role = (typeof roles)[number];

export const policy = {
  /** The dashboard with queue counts: every operator. */
  'dashboard.view': ['admin', 'reviewer', 'registrar', 'mediator'],
  /** Create, disable and re-enable operators, change their roles, reset their credentials. */
  'operators.manage': ['admin'],
  /** Read the audit log. */
  'audit.read': ['admin'],
  /** Review and decide reports. */
  'reports.review': ['reviewer'],
  /** Review and decide seller registrations. */
  'registrations.review': ['registrar'],
  /** Handle normalization requests and mediation. */
  'normalizations.mediate': ['mediator'],
  /** Manage partners and their API keys. */
  'partners.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof policy;

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function allows(held: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = policy[permission];
  return held.some((role) => allowed.includes(role));
}

export function permissionsOf(held: readonly Role[]): Permission[] {
  return (Object.keys(policy) as Permission[]).filter((p) => allows(held, p));
}
