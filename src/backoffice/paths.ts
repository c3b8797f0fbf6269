// Where the back-office pages live, and which `next` targets a sign-in may
// return to. One list, so a redirect never names a page that does not exist.
import type { SessionStage, TicketKind } from '../db/schema.ts';

export const adminPaths = {
  dashboard: '/admin',
  signIn: '/admin/masuk',
  totp: '/admin/totp',
  password: '/admin/kata-sandi',
  signOut: '/admin/keluar',
  signOutEverywhere: '/admin/keluar-semua',
  operators: '/admin/operator',
  newOperator: '/admin/operator/baru',
  operatorChanges: '/admin/operator/permintaan',
  audit: '/admin/audit',
  reports: '/admin/laporan',
  files: '/admin/berkas',
  registrations: '/admin/pendaftaran',
  normalizations: '/admin/normalisasi',
  /** Partners (banks, marketplaces) and their API keys. */
  partners: '/admin/mitra',
  /** Finding a report, registration or normalization request by its ticket number. */
  tickets: '/admin/tiket',
} as const;

export function operatorPath(id: number, action?: string): string {
  return `${adminPaths.operators}/${id}${action ? `/${action}` : ''}`;
}

export function reportPath(id: number, action?: string): string {
  return `${adminPaths.reports}/${id}${action ? `/${action}` : ''}`;
}

const ticketItemBases: Record<TicketKind, string> = {
  report: adminPaths.reports,
  registration: adminPaths.registrations,
  normalization: adminPaths.normalizations,
};

/** The back-office page of what a ticket belongs to: a report, a registration or a request. */
export function ticketItemPath(kind: TicketKind, id: number): string {
  return `${ticketItemBases[kind]}/${id}`;
}

/** The ticket search, with a ticket number typed. */
export function ticketSearchPath(ticket: string): string {
  return `${adminPaths.tickets}?${new URLSearchParams({ tiket: ticket }).toString()}`;
}

/** A stored file, opened through the audited page route. */
export function filePath(id: string): string {
  return `${adminPaths.files}/${encodeURIComponent(id)}`;
}

/** Longest `next` kept: a real back-office address is far shorter. */
const maxNextLength = 1000;

/**
 * A `next` path a sign-in may redirect to, or null. Only the back office's
 * own paths: they start with "/admin" followed by "/", "?" or the end, so
 * they can never be protocol-relative ("//evil.example") or absolute, and
 * they hold no backslash (which browsers read as "/") or control character.
 */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > maxNextLength) return null;
  if (!/^\/admin(?:[/?][\x21-\x7e]*)?$/.test(value)) return null;
  if (value.includes('\\') || value.startsWith('//')) return null;
  const path = value.split('?')[0]!;
  // Going back to the sign-in page itself would only show the form again.
  if (path === adminPaths.signIn || path.includes('//')) return null;
  return value;
}

/** The sign-in page, remembering where to go afterwards when that is safe. */
export function signInPath(next?: string | null, info?: string): string {
  const query = new URLSearchParams();
  const safe = safeNext(next);
  if (safe && safe !== adminPaths.dashboard) query.set('next', safe);
  if (info) query.set('info', info);
  const text = query.toString();
  return text ? `${adminPaths.signIn}?${text}` : adminPaths.signIn;
}

/** Where a session of this stage continues: enrolment, password change, or the target. */
export function pathForStage(stage: SessionStage, next?: string | null): string {
  switch (stage) {
    case 'enrollment':
      return adminPaths.totp;
    case 'password':
      return adminPaths.password;
    case 'full':
      return safeNext(next) ?? adminPaths.dashboard;
  }
}
