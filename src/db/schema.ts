// Table types as Kysely sees them. Times are timestamptz on PostgreSQL and
// ISO-8601 UTC text on SQLite; repositories turn both into Date (toDate).
import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date | string, Date | string, Date | string>;
/** boolean on PostgreSQL, 0/1 on SQLite. */
export type Flag = ColumnType<boolean | number, boolean | undefined, boolean>;

export type ReportStatus = 'submitted' | 'in_review' | 'verified' | 'rejected' | 'normalized';
export type ReportSource = 'public' | 'import' | 'partner' | 'demo';
export type RegistrationStatus = 'submitted' | 'in_review' | 'approved' | 'rejected' | 'revoked';
export type NormalizationStatus =
  'submitted' | 'in_review' | 'mediation' | 'proposed' | 'granted' | 'denied';
export type SubmissionChannel = 'online' | 'service_desk';

export interface AccountsTable {
  id: Generated<number>;
  provider: string;
  number: string;
  key: string;
  demo: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
  // The public summary, recomputed from the tables below in the same
  // transaction as every change to them (accounts.repository refreshSummaries).
  verified_count: Generated<number>;
  category_counts: Generated<string>;
  first_reported_at: Timestamp | null;
  last_reported_at: Timestamp | null;
  dispute_since: Timestamp | null;
  normalized_at: Timestamp | null;
  seller_business_name: string | null;
  seller_holder_name: string | null;
  seller_verified_at: Timestamp | null;
}

export interface ReportsTable {
  id: Generated<number>;
  account_id: number;
  ticket: string | null;
  status: ReportStatus;
  category: string;
  source: ReportSource;
  source_id: string | null;
  holder_name: string | null;
  reported_at: Timestamp;
  verified_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SellerRegistrationsTable {
  id: Generated<number>;
  account_id: number;
  ticket: string | null;
  status: RegistrationStatus;
  business_name: string;
  holder_name: string;
  decided_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NormalizationRequestsTable {
  id: Generated<number>;
  account_id: number;
  ticket: string | null;
  status: NormalizationStatus;
  channel: SubmissionChannel;
  decided_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** SQLite only: the order in which account summaries changed, for other processes' caches. */
export interface AccountChangesTable {
  seq: Generated<number>;
  key: string;
  changed_at: Timestamp;
}

export interface MetaTable {
  key: string;
  value: string;
}

export type SessionStage = 'enrollment' | 'password' | 'full';

export interface OperatorsTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  must_change_password: Flag;
  /** Sealed with the secret key (SecretBox, purpose "totp"). */
  totp_secret: string | null;
  totp_enrolled_at: Timestamp | null;
  /** The last TOTP time step used, so a code is never accepted twice. */
  totp_last_step: number | null;
  failed_sign_ins: Generated<number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  last_sign_in_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OperatorRolesTable {
  operator_id: number;
  role: string;
}

export interface OperatorSessionsTable {
  /** SHA-256 of the session token; the token itself is only in the cookie. */
  id: string;
  operator_id: number;
  stage: SessionStage;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor_type: string;
  actor_id: number | null;
  actor_label: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  ip: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
}

export interface DB {
  accounts: AccountsTable;
  reports: ReportsTable;
  seller_registrations: SellerRegistrationsTable;
  normalization_requests: NormalizationRequestsTable;
  account_changes: AccountChangesTable;
  meta: MetaTable;
  operators: OperatorsTable;
  operator_roles: OperatorRolesTable;
  operator_sessions: OperatorSessionsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
}

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toOptionalDate(value: Date | string | null | undefined): Date | null {
  return value == null ? null : toDate(value);
}
