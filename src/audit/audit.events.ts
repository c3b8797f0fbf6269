// Every action the audit log records, in one documented list. An entry says
// who (actor), what (action), to what (subject), when, from where (ip) and
// with which outcome; details hold non-secret facts only (never a password,
// TOTP code or secret, session id, CSRF token, NIK or document content).
export const auditActions = {
  'operator.created': 'an operator account was created',
  'operator.disabled': 'an operator account was disabled',
  'operator.enabled': 'a disabled operator account was enabled again',
  'operator.roles_changed': 'an operator was given other roles',
  'operator.password_changed': 'an operator changed their password',
  'operator.password_reset': 'an admin issued a new one-time password',
  'operator.totp_enrolled': 'an operator finished TOTP enrolment',
  'operator.totp_reset': 'an admin reset an operator’s TOTP',
  'operator.change_requested':
    'an admin asked to create, enable or reset an operator or change roles; a second admin decides',
  'operator.change_approved': 'a second admin approved an operator change, which took effect',
  'operator.change_rejected': 'an admin turned down (or the requester withdrew) an operator change',
  'session.signed_in': 'an operator signed in',
  'session.sign_in_failed': 'a sign-in failed (wrong password, TOTP or locked)',
  'session.locked': 'an operator account was locked after repeated failures',
  'session.signed_out': 'an operator signed out',
  'session.signed_out_everywhere': 'an operator ended all their sessions',
  'session.expired': 'a session was refused because it had expired',
  'access.denied': 'an operator tried something their roles do not allow',
  'audit.viewed': 'an operator read the audit log',
  'audit.verified': 'the audit chain was verified',
  'report.viewed': 'a reviewer opened a report, with the reporter’s identity and contact',
  'report.claimed': 'a reviewer claimed a report to work on it',
  'report.released': 'a reviewer gave a claimed report back to the queue',
  'report.verified': 'a reviewer verified a report: it counts in the check',
  'report.rejected': 'a reviewer rejected a report',
  'file.viewed': 'an operator opened a stored file (evidence or an identity document)',
  'files.swept': 'stored files without a record were deleted',
  'normalization.entered': 'an operator entered a normalization request from a service desk',
  'normalization.viewed':
    'a mediator opened a normalization request, with the owner’s and the reporters’ contact',
  'normalization.claimed': 'a mediator took a normalization request on',
  'normalization.information_requested': 'a mediator asked the owner or a reporter for more',
  'normalization.mediation_scheduled':
    'a mediator scheduled a mediation between owner and reporter',
  'normalization.mediation_recorded': 'a mediator recorded the outcome of a mediation',
  'normalization.reporters_notified':
    'a mediator told the reporters of the disputed reports of the dispute, with a time to answer',
  'normalization.reporter_excused':
    'a mediator recorded why a disputed report’s reporter cannot be asked before a grant',
  'normalization.proposed': 'a mediator proposed to grant or deny a normalization request',
  'normalization.proposal_rejected':
    'a second operator sent a proposal back instead of confirming it',
  'normalization.granted':
    'a second operator confirmed a grant: the disputed reports stop counting',
  'normalization.denied': 'a second operator confirmed a denial: the reports stand',
  'registration.viewed': 'a registrar opened a seller registration, with the seller’s contact',
  'registration.claimed': 'a registrar claimed a seller registration to work on it',
  'registration.released': 'a registrar gave a claimed seller registration back to the queue',
  'registration.nik_revealed': 'a registrar opened the full NIK of a seller registration',
  'registration.approved': 'a registrar approved a seller registration: the check shows it',
  'registration.rejected': 'a registrar rejected a seller registration',
  'registration.kept': 'a registrar re-checked an approved registration and kept it',
  'registration.revoked': 'a registrar revoked an approved registration: it no longer shows',
  'registration.flagged': 'a verified report flagged a seller registration for a re-check',
  'ticket.code_renewed':
    'someone who lost a tracking code had a new one sent to the address given with the submission',
  'ticket.code_request_unmatched':
    'a new tracking code was asked for with an address that is not the one given (nothing sent)',
  'registration.documents_erased':
    'the retention rule erased the documents and NIK of a rejected seller registration',
  'partner.created': 'an admin added a partner organisation',
  'partner.updated': 'an admin changed a partner’s name, contact, limits or provider codes',
  'partner.key_issued': 'an admin issued an API key to a partner (the key is never recorded)',
  'partner.key_rolled': 'an admin replaced a partner’s key; the old one works for an overlap',
  'partner.key_revoked': 'an admin revoked a partner’s key: it fails at once on every process',
  'webhook.created': 'a partner registered a webhook endpoint (the secret is never recorded)',
  'webhook.deleted': 'a partner deleted a webhook endpoint; its pending deliveries failed',
  'webhook.secret_rotated':
    'a partner replaced a webhook signing secret; the old one signs alongside for 24 hours',
  'webhook.delivery_retried': 'a partner or an operator queued a webhook delivery again',
  'webhook.disabled': 'a webhook endpoint was disabled: it answered 410, or failed for 5 days',
} as const;

export type AuditAction = keyof typeof auditActions;

/**
 * Changes that hand someone an account or more power over one: shown as
 * warnings (dashboard, audit viewer), and the links that keep two operators
 * from counting as two people in a four-eyes decision.
 */
export const operatorChangeActions = [
  'operator.created',
  'operator.enabled',
  'operator.password_reset',
  'operator.totp_reset',
  'operator.roles_changed',
] as const satisfies readonly AuditAction[];

export type OperatorChangeAction = (typeof operatorChangeActions)[number];

export function isOperatorChangeAction(action: string): action is OperatorChangeAction {
  return (operatorChangeActions as readonly string[]).includes(action);
}

export type AuditOutcome = 'success' | 'denied' | 'failure';
export type ActorType = 'operator' | 'system' | 'cli';

export type AuditDetails = Readonly<
  Record<string, string | number | boolean | null | readonly string[]>
>;

export interface AuditEvent {
  readonly actor: { readonly type: ActorType; readonly id: number | null; readonly label: string };
  readonly action: AuditAction;
  readonly subject?: { readonly type: string; readonly id: string } | undefined;
  readonly ip?: string | null | undefined;
  readonly outcome?: AuditOutcome | undefined;
  readonly details?: AuditDetails | undefined;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: Date;
  readonly actorType: ActorType;
  readonly actorId: number | null;
  readonly actorLabel: string;
  readonly action: string;
  readonly subjectType: string | null;
  readonly subjectId: string | null;
  readonly ip: string | null;
  readonly outcome: AuditOutcome;
  readonly details: AuditDetails;
  readonly prevHash: string;
  readonly hash: string;
}

export const genesisHash = '0'.repeat(64);

export function isAuditAction(value: string): value is AuditAction {
  return value in auditActions;
}
