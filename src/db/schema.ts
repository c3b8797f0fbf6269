// Table types as Kysely sees them. Times are timestamptz on PostgreSQL and
// ISO-8601 UTC text on SQLite; repositories turn both into Date (toDate).
import type { ColumnType, Generated } from 'kysely';
import type { StatisticsMonthlyTable, StatisticsStateTable } from './schema.statistics.ts';

export type Timestamp = ColumnType<Date | string, Date | string, Date | string>;
/** A time column that may be left out on insert (null). */
export type OptionalTimestamp = ColumnType<
  Date | string | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** A column that may be left out on insert (null). */
export type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
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
  /**
   * SHA-256 of `key`, upper-case hex, for the private lookup's range scans
   * (accounts/range.ts). Null only in a row written by code older than
   * migration 0015, which filled every row then.
   */
  key_hash: ColumnType<string | null, string, string>;
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
  reported_phone: Optional<string>;
  reported_socials: Optional<string>;
  reported_website: Optional<string>;
  /** YYYY-MM-DD and HH:MM, as the reporter gave them (local time). */
  incident_date: Optional<string>;
  incident_time: Optional<string>;
  amount: Optional<number>;
  platform: Optional<string>;
  location_details: Optional<string>;
  city: Optional<string>;
  chronology: Optional<string>;
  /** The reporter's name, e-mail and phone: SecretBox-sealed JSON. */
  reporter_sealed: Optional<string>;
  reporter_email_hash: Optional<string>;
  client_hash: Optional<string>;
  lang: Optional<string>;
  flagged: Flag;
  /** JSON array of flag reasons, e.g. ["burst_client"]. */
  flag_reasons: Optional<string>;
  claimed_by: Optional<number>;
  claimed_until: OptionalTimestamp;
  decided_by: Optional<number>;
  decided_at: OptionalTimestamp;
  decision_reason: Optional<string>;
  decision_note: Optional<string>;
  /** The partner that filed or imported it (null: the public). */
  partner_id: Optional<number>;
  /** The partner import (partner_imports) that loaded it. */
  import_id: Optional<number>;
}

export type TicketKind = 'report' | 'registration' | 'normalization';

export interface TicketsTable {
  ticket: string;
  kind: TicketKind;
  subject_id: number;
  token_hash: string;
  lang: string;
  created_at: Timestamp;
  /** HMAC of the submitter's e-mail address (tickets.service.ts), for a lost code. */
  contact_hash: string | null;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket: string;
  status: string;
  note: string | null;
  at: Timestamp;
}

export interface ChallengeUsesTable {
  id: string;
  expires_at: Timestamp;
}

export interface SellerRegistrationsTable {
  id: Generated<number>;
  account_id: number;
  ticket: string | null;
  status: RegistrationStatus;
  business_name: string;
  /** Sealed (shared/personal-data.ts): opened for the registrar and the name check only. */
  holder_name: string;
  /** The masked name the check shows (accounts.seller_holder_name is copied from it). */
  holder_name_masked: Optional<string>;
  decided_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Random, unguessable: the seller page is /penjual/{public_id}. */
  public_id: Optional<string>;
  /** The seller's phone and e-mail: SecretBox-sealed JSON, bound to public_id. */
  contact_sealed: Optional<string>;
  email_hash: Optional<string>;
  /** The NIK, SecretBox-sealed (purpose "nik"), bound to public_id; null once erased. */
  nik_sealed: Optional<string>;
  /** Keyed hash of the NIK (purpose "nik-index"): matched without decrypting. */
  nik_hash: Optional<string>;
  business_type: Optional<string>;
  business_type_other: Optional<string>;
  lang: Optional<string>;
  client_hash: Optional<string>;
  flagged: Flag;
  /** JSON array of flag reasons, e.g. ["reported_after_approval"]. */
  flag_reasons: Optional<string>;
  claimed_by: Optional<number>;
  claimed_until: OptionalTimestamp;
  decided_by: Optional<number>;
  decision_reason: Optional<string>;
  decision_note: Optional<string>;
  /** The re-check of an approved registration after a verified report. */
  rechecked_at: OptionalTimestamp;
  rechecked_by: Optional<number>;
  recheck_reason: Optional<string>;
  recheck_note: Optional<string>;
  /** When the retention rule erased the documents and the sealed NIK. */
  documents_erased_at: OptionalTimestamp;
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
  /** The owner's name as on the account. */
  holder_name: Optional<string>;
  /** The NIK, SecretBox-sealed (purpose "nik"), bound to the row's id. */
  nik_sealed: Optional<string>;
  /** Keyed hash of the NIK (purpose "nik-index"): matched without decrypting. */
  nik_hash: Optional<string>;
  /** The owner's phone and e-mail: SecretBox-sealed JSON, bound to the row's id. */
  contact_sealed: Optional<string>;
  statement: Optional<string>;
  lang: Optional<string>;
  /** The operator who entered a service-desk request. */
  entered_by: Optional<number>;
  /** The decision promised by then (NORMALIZATION_DECISION_DAYS after filing). */
  due_at: OptionalTimestamp;
  /** The mediator who took the request on. */
  handled_by: Optional<number>;
  proposed_decision: Optional<'grant' | 'deny'>;
  proposed_by: Optional<number>;
  proposed_at: OptionalTimestamp;
  proposal_reason: Optional<string>;
  /** The second operator, who confirmed the proposal (four eyes). */
  confirmed_by: Optional<number>;
  decision_reason: Optional<string>;
}

/** The verified reports a normalization request disputes, fixed when it was filed. */
export interface NormalizationReportsTable {
  normalization_id: number;
  report_id: number;
}

export type MediationOutcome = 'owner_upheld' | 'reporter_upheld' | 'no_agreement' | 'not_held';

export interface MediationSessionsTable {
  id: Generated<number>;
  normalization_id: number;
  scheduled_at: Timestamp;
  place: Optional<string>;
  video_link: Optional<string>;
  note: Optional<string>;
  scheduled_by: number;
  created_at: Timestamp;
  outcome: Optional<MediationOutcome>;
  outcome_note: Optional<string>;
  recorded_by: Optional<number>;
  recorded_at: OptionalTimestamp;
}

export type InformationParty = 'owner' | 'reporter';

export interface InformationRequestsTable {
  id: Generated<number>;
  normalization_id: number;
  party: InformationParty;
  /** For a reporter: the report whose ticket they answer on. */
  report_id: Optional<number>;
  question: string;
  asked_by: number;
  asked_at: Timestamp;
  due_at: Timestamp;
  answered_at: OptionalTimestamp;
  answer: Optional<string>;
  /** JSON array of the ids of the files that came with the answer. */
  answer_files: Optional<string>;
  /** A question of the mediator's, or the dispute notice that asks a reporter to be heard. */
  purpose: Generated<InformationPurpose>;
}

export type InformationPurpose = 'question' | 'dispute_notice';

/** Why a disputed report's reporter cannot be asked before a grant. */
export type ReporterExcuseReason = 'no_contact' | 'imported_report' | 'other';

export interface ReporterExcusesTable {
  id: Generated<number>;
  normalization_id: number;
  report_id: number;
  reason: ReporterExcuseReason;
  /** Sealed. */
  note: Optional<string>;
  recorded_by: number;
  recorded_at: Timestamp;
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

/** One operator changed another's account (made, requested or approved it): four-eyes.ts. */
export interface OperatorLinksTable {
  id: Generated<number>;
  operator_id: number;
  by_operator_id: number;
  action: string;
  at: Timestamp;
}

export type OperatorChangeKind = 'create' | 'enable' | 'roles' | 'password_reset' | 'totp_reset';
export type OperatorChangeStatus = 'pending' | 'approved' | 'rejected';

/** An operator change waiting for (or decided by) a second admin. */
export interface OperatorChangeRequestsTable {
  id: Generated<number>;
  kind: OperatorChangeKind;
  operator_id: Optional<number>;
  email: Optional<string>;
  /** JSON array of role names. */
  roles: Optional<string>;
  target_key: string;
  status: OperatorChangeStatus;
  requested_by: number;
  requested_at: Timestamp;
  decided_by: Optional<number>;
  decided_at: OptionalTimestamp;
  decision_reason: Optional<string>;
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

/** Signed heads of the audit chain; `keying` marks where keyed hashing began. */
export interface AuditCheckpointsTable {
  id: Generated<number>;
  kind: 'keying' | 'checkpoint';
  seq: number;
  hash: string;
  at: Timestamp;
  /** Ed25519, base64url, over the kind, seq, hash and time. */
  signature: string;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON text, validated by the kind's schema when claimed. */
  payload: string;
  dedupe_key: string | null;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: number;
  /** Error class and code only: never a message that could carry personal data or secrets. */
  last_error: string | null;
  locked_by: string | null;
  locked_until: Timestamp | null;
  done_at: Timestamp | null;
  failed_at: Timestamp | null;
  created_at: Timestamp;
}

export type FileMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

export interface FilesTable {
  /** The random name the file is stored under in DATA_DIR/files. */
  id: string;
  owner_kind: string;
  owner_id: number | null;
  /** The form field it came in, e.g. "evidence", "idCardPhoto". */
  field: string;
  /** The order the sender gave the files in, within their owner. */
  position: Generated<number>;
  mime: FileMime;
  size: number;
  /** SHA-256 (hex) of the stored plaintext, after re-encoding. */
  sha256: string;
  original_name: string | null;
  /** An identity document (KTP photo, savings book), not ordinary evidence. */
  sensitive: Flag;
  created_at: Timestamp;
}

export interface DB {
  accounts: AccountsTable;
  reports: ReportsTable;
  seller_registrations: SellerRegistrationsTable;
  normalization_requests: NormalizationRequestsTable;
  normalization_reports: NormalizationReportsTable;
  mediation_sessions: MediationSessionsTable;
  information_requests: InformationRequestsTable;
  reporter_excuses: ReporterExcusesTable;
  account_changes: AccountChangesTable;
  meta: MetaTable;
  operators: OperatorsTable;
  operator_roles: OperatorRolesTable;
  operator_sessions: OperatorSessionsTable;
  operator_links: OperatorLinksTable;
  operator_change_requests: OperatorChangeRequestsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  challenge_uses: ChallengeUsesTable;
  files: FilesTable;
  jobs: JobsTable;
  partners: PartnersTable;
  partner_keys: PartnerKeysTable;
  partner_usage: PartnerUsageTable;
  idempotency_keys: IdempotencyKeysTable;
  partner_imports: PartnerImportsTable;
  import_chunks: ImportChunksTable;
  partner_watches: PartnerWatchesTable;
  partner_provider_watches: PartnerProviderWatchesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  statistics_monthly: StatisticsMonthlyTable;
  statistics_state: StatisticsStateTable;
  check_count_days: import('./schema.check-counts.ts').CheckCountDaysTable;
  check_count_hours: import('./schema.check-counts.ts').CheckCountHoursTable;
}

export type PartnerKind = 'bank' | 'ewallet' | 'marketplace' | 'police' | 'other';

/** An organisation that uses cekrek with API keys. */
export interface PartnersTable {
  id: Generated<number>;
  name: string;
  kind: PartnerKind;
  contact_email: string;
  per_minute: number;
  per_day: number;
  /** JSON array of provider codes (banks and e-wallets). */
  provider_codes: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A partner's API key: only its keyed hash and how it is shown. */
export interface PartnerKeysTable {
  id: Generated<number>;
  partner_id: number;
  label: string;
  key_hash: string;
  shown: string;
  /** JSON array of scopes. */
  scopes: string;
  rolled_from: Optional<number>;
  created_at: Timestamp;
  expires_at: OptionalTimestamp;
  revoked_at: OptionalTimestamp;
  last_used_at: OptionalTimestamp;
}

/** What one key did on one UTC day. */
export interface PartnerUsageTable {
  key_id: number;
  partner_id: number;
  day: string;
  requests: Generated<number>;
  checks: Generated<number>;
  reports: Generated<number>;
  refusals: Generated<number>;
}

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toOptionalDate(value: Date | string | null | undefined): Date | null {
  return value == null ? null : toDate(value);
}

/** The first answer to a keyed filing with an Idempotency-Key, kept at least 24 hours. */
export interface IdempotencyKeysTable {
  partner_id: number;
  idempotency_key: string;
  fingerprint: string;
  /** SecretBox-sealed JSON of the answer. */
  answer: string;
  created_at: Timestamp;
}

export type PartnerImportStatus = 'queued' | 'running' | 'done' | 'failed';

/** A CSV of verified reports sent by a partner, loaded by a job. */
export interface PartnerImportsTable {
  id: Generated<number>;
  partner_id: number;
  key_id: number;
  status: PartnerImportStatus;
  /** The CSV as sent, for imports queued before bodies were kept in chunks. */
  body: string | null;
  /** The import_chunks holding the CSV as sent. */
  upload_id: Optional<string>;
  rows: Generated<number>;
  imported: Generated<number>;
  skipped: Generated<number>;
  /** JSON array of { line, message }. */
  errors: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An account a partner watches, by the SHA-256 of its canonical key. */
export interface PartnerWatchesTable {
  partner_id: number;
  key_hash: string;
  created_at: Timestamp;
}

/** A bank or e-wallet partner watching every account of a provider code it holds. */
export interface PartnerProviderWatchesTable {
  provider: string;
  partner_id: number;
  created_at: Timestamp;
}

export type WebhookDisabledReason = 'gone' | 'failing' | 'partner';

/** Where a partner wants to be told of changes to the accounts it watches. */
export interface WebhookEndpointsTable {
  id: Generated<number>;
  public_id: string;
  partner_id: number;
  url: string;
  /** JSON array of event types. */
  events: string;
  /** SecretBox-sealed signing secret. */
  secret: string;
  previous_secret: Optional<string>;
  previous_secret_until: OptionalTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  failing_since: OptionalTimestamp;
  disabled_at: OptionalTimestamp;
  disabled_reason: Optional<WebhookDisabledReason>;
  deleted_at: OptionalTimestamp;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

/** One event for one endpoint: the outbox row and its delivery state. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  message_id: string;
  endpoint_id: number;
  event_type: string;
  body: string;
  state: WebhookDeliveryState;
  attempts: Generated<number>;
  next_attempt_at: OptionalTimestamp;
  locked_until: OptionalTimestamp;
  created_at: Timestamp;
  delivered_at: OptionalTimestamp;
}

/** One attempt to deliver, with what the endpoint answered. */
export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempted_at: Timestamp;
  status_code: Optional<number>;
  error: Optional<string>;
  latency_ms: number;
}

/** A piece of an import's CSV body, sealed, in order. */
export interface ImportChunksTable {
  upload_id: string;
  seq: number;
  data: string;
  created_at: Timestamp;
}
