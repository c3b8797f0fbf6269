// The one reader of process.env. Every variable cekrek understands is listed
// here, validated once at start, and documented in the README; a wrong value
// stops the process with a message naming the variable.
import * as z from 'zod';
import { resolve } from 'node:path';

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

/** A timeout: at least 100 ms (none can be switched off), at most an hour. */
const milliseconds = z.coerce.number().int().min(100).max(3_600_000);

const envSchema = z.object({
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** TCP port of the HTTP server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Folder for the embedded database, stored files, the outbox and the generated key. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL connection string; unset means the embedded SQLite database in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Size of the PostgreSQL connection pool of one process. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Milliseconds to wait for a PostgreSQL connection (new, or free in the pool) before answering 503. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Longest PostgreSQL statement of the server, in milliseconds (statement_timeout). */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Redis, to share rate limits between several app processes. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Where uploaded files are kept: `disk` (DATA_DIR/files) or an S3-compatible bucket, `s3://bucket/prefix`. */
  FILE_STORE_URL: z
    .string()
    .regex(
      /^(disk|s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9._/-]*)?)$/,
      'must be disk or s3://bucket[/prefix] (a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens)',
    )
    .default('disk'),
  /** The S3 API's address for a store other than AWS (MinIO, Garage, …); unset means AWS. */
  S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Credentials of the S3 store: required with an s3:// FILE_STORE_URL, never logged. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path (`endpoint/bucket/key`) rather than the host name: MinIO and Garage want it. */
  S3_FORCE_PATH_STYLE: onOff.default(false),
  /** Key for encrypting sensitive data at rest (32+ characters). Generated into DATA_DIR on the embedded default. */
  CEKREK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Checks (API and result pages) per minute per client; 0 turns the limit off. */
  CHECK_RATE_LIMIT: z.coerce.number().int().min(0).default(120),
  /** Milliseconds the check answers from memory after losing the change feed; then "clear" is refused. */
  CHECK_STALE_AFTER_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** Sign-in attempts per 15 minutes per client (operators); 0 turns the limit off. */
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(0).default(20),
  /** Minutes of inactivity after which an operator session ends. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Hours after sign-in after which an operator session ends, however active. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24)
    .default(12),
  /**
   * Accepted submissions per hour per client, each kind with its own
   * allowance; 0 turns a limit off. The defaults assume many people behind
   * one address (carrier NAT); abuse is caught per e-mail and by the flags.
   */
  REPORT_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
  REGISTRATION_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
  NORMALIZATION_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
  /** Seller-name checks per hour per seller page and client; 0 turns the limit off. */
  NAME_CHECK_RATE_LIMIT: z.coerce.number().int().min(0).default(10),
  /** Reports filed per day per reporter e-mail; 0 turns the limit off. */
  REPORTER_RATE_LIMIT: z.coerce.number().int().min(0).default(5),
  /** Form submissions per hour per client sent without the proof of work (no JavaScript); 0 turns the limit off. */
  NOJS_SUBMISSION_RATE_LIMIT: z.coerce.number().int().min(0).default(3),
  TRACKING_CODE_RATE_LIMIT: z.coerce.number().int().min(0).default(5),
  /** Largest uploaded file, in megabytes (evidence and documents). */
  UPLOAD_MAX_FILE_MB: z.coerce.number().int().min(1).max(50).default(5),
  IMPORT_MAX_MB: z.coerce.number().int().min(1).max(1024).default(50),
  /** Minutes a reviewer's claim keeps a report away from other reviewers. */
  REVIEW_CLAIM_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Days after which the documents of a rejected seller registration are erased. */
  REGISTRATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /**
   * Ed25519 private key (PKCS#8 PEM, or its base64 DER) that signs verified-seller
   * links; unset derives one from CEKREK_SECRET_KEY.
   */
  SELLER_SIGNING_KEY: z.string().min(40).optional(),
  /** Days a mediator has to a first decision on a normalization request. */
  NORMALIZATION_DECISION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Days within which a public report is usually reviewed: what receipts and tracking promise. */
  REPORT_REVIEW_DAYS: z.coerce.number().int().min(1).max(365).default(5),
  /** Days within which a seller registration is usually reviewed: what receipts and tracking promise. */
  REGISTRATION_REVIEW_DAYS: z.coerce.number().int().min(1).max(365).default(3),
  /** Days a reporter told of a dispute has to answer before a grant may be proposed. */
  REPORTER_ANSWER_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /**
   * Days during which two operators who changed each other's account (created,
   * enabled, reset, roles) do not count as the two people of a four-eyes decision.
   */
  FOUR_EYES_INDEPENDENCE_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Creating, enabling and resetting operators and changing roles wait for a second admin. */
  OPERATOR_CHANGE_APPROVAL: onOff.default(false),
  /** Sender of outgoing mail. */
  MAIL_FROM: z.string().min(3).default('cekrek <no-reply@cekrek.example>'),
  /** Seed demo data into an empty embedded database (`on` by default; `off` never seeds). */
  CEKREK_DEMO: onOff.default(true),
  /** Proof-of-work challenge on anonymous submissions (`off` only for development and tests). */
  CEKREK_CHALLENGE: onOff.default(true),
  /** Webhooks to http:// and to private, loopback and link-local addresses (`on` only for development and tests). */
  WEBHOOK_ALLOW_PRIVATE: onOff.default(false),
  /** SMTP server for outgoing mail (smtp:// or smtps://); unset writes .eml files to DATA_DIR/outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Address the public reaches this site at, for links in mail and QR codes. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Call-centre numbers shown on the contact page, comma separated. */
  CONTACT_PHONES: z.string().default('159, 0811-9224-545'),
  /** E-mail address shown on the contact page. */
  CONTACT_EMAIL: z.email().default('aduan@cekrek.example'),
  /** Name of the operating organisation shown on the contact page. */
  CONTACT_ORGANIZATION: z.string().default('cekrek'),
  /**
   * Which proxies may set X-Forwarded-For/-Proto/-Host: `false` (none), `true`
   * (any: only when nothing reaches the app except through the proxy), or a
   * comma-separated list of addresses, CIDRs or `loopback`/`linklocal`/`uniquelocal`.
   */
  TRUST_PROXY: z
    .string()
    .refine((v) => !/^\d+$/.test(v), 'hop counts are not supported: list the proxy addresses')
    .default('false'),
  /** Milliseconds a client has to send the request line and headers. */
  HTTP_HEADERS_TIMEOUT_MS: milliseconds.default(10_000),
  /** Milliseconds a client has to send a request body (JSON, form) after its headers. */
  HTTP_BODY_TIMEOUT_MS: milliseconds.default(30_000),
  /** Milliseconds a client has to send an upload (a form with files) after its headers. */
  UPLOAD_BODY_TIMEOUT_MS: milliseconds.default(300_000),
  /** Milliseconds without a byte either way after which a connection is closed. */
  HTTP_IDLE_TIMEOUT_MS: milliseconds.default(60_000),
  /** Milliseconds an idle keep-alive connection stays open. */
  HTTP_KEEPALIVE_TIMEOUT_MS: milliseconds.default(72_000),
  /** Connections one process holds at once; further ones are closed as they arrive. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Count the distinct clients that check each account (on/off): the "checked N times" figure and the early warning. */
  CHECK_COUNTING: onOff.default(true),
  /** Milliseconds between two flushes of a process's check counts to the database. */
  CHECK_COUNTS_FLUSH_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** Distinct clients in 24 hours from which an account without verified reports is on the early warning. */
  EARLY_WARNING_MIN_CLIENTS: z.coerce.number().int().min(1).default(20),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type TrustProxy = boolean | string[];

/** An S3-compatible bucket for stored files. */
export interface S3Settings {
  readonly bucket: string;
  /** Put before every object's name: empty, or ending in a slash. */
  readonly prefix: string;
  /** Unset: AWS itself, by region. */
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly forcePathStyle: boolean;
}

export type FileStoreConfig = { readonly kind: 'disk' } | ({ readonly kind: 's3' } & S3Settings);

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database:
    | { readonly kind: 'sqlite'; readonly file: string }
    | {
        readonly kind: 'postgres';
        readonly url: string;
        readonly poolSize: number;
        readonly connectTimeoutMs: number;
        readonly queryTimeoutMs: number;
      };
  readonly redisUrl: string | undefined;
  /** FILE_STORE_URL and the S3_ settings. */
  readonly fileStore: FileStoreConfig;
  readonly secretKey: string | undefined;
  readonly checkRateLimit: number;
  readonly checkStaleAfterMs: number;
  /** CHECK_COUNTING, CHECK_COUNTS_FLUSH_MS, EARLY_WARNING_MIN_CLIENTS. */
  readonly checkCounting: {
    readonly enabled: boolean;
    readonly flushMs: number;
    readonly earlyWarningMinClients: number;
  };
  readonly signInRateLimit: number;
  readonly session: { readonly idleMinutes: number; readonly maxHours: number };
  readonly reportRateLimit: number;
  readonly registrationRateLimit: number;
  readonly normalizationRateLimit: number;
  /** Seller-name checks per seller page and client, per hour. */
  readonly nameCheckRateLimit: number;
  readonly reporterRateLimit: number;
  readonly noJsSubmissionRateLimit: number;
  /** Requests for a new tracking code per client, per hour. */
  readonly trackingCodeRateLimit: number;
  readonly uploadMaxFileBytes: number;
  /** The largest CSV a partner may send to POST /api/v1/imports. */
  readonly importMaxBytes: number;
  readonly reviewClaimMinutes: number;
  readonly mailFrom: string;
  readonly registrationRetentionDays: number;
  readonly sellerSigningKey: string | undefined;
  readonly normalizationDecisionDays: number;
  readonly reportReviewDays: number;
  readonly registrationReviewDays: number;
  /** REPORTER_ANSWER_DAYS: a reporter's time to answer the dispute notice. */
  readonly reporterAnswerDays: number;
  readonly fourEyesIndependenceDays: number;
  readonly operatorChangeApproval: boolean;
  readonly demo: boolean;
  readonly challenge: boolean;
  readonly webhookAllowPrivate: boolean;
  readonly smtpUrl: string | undefined;
  readonly publicBaseUrl: string | undefined;
  readonly contact: {
    readonly phones: readonly string[];
    readonly email: string;
    readonly organization: string;
  };
  readonly trustProxy: TrustProxy;
  readonly logLevel: string;
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly bodyTimeoutMs: number;
    readonly uploadBodyTimeoutMs: number;
    readonly idleTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxConnections: number;
  };
}

export class ConfigError extends Error {}

function parseTrustProxy(value: string): TrustProxy {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

type ParsedEnv = z.infer<typeof envSchema>;

function fileStoreOf(e: ParsedEnv): FileStoreConfig {
  if (e.FILE_STORE_URL === 'disk') return { kind: 'disk' };
  const [bucket = '', ...path] = e.FILE_STORE_URL.slice('s3://'.length).split('/');
  const prefix = path.filter(Boolean).join('/');
  const missing = (['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((n) => !e[n]);
  if (missing.length > 0) {
    throw new ConfigError(
      `invalid configuration: ${missing.map((n) => `${n}: required with an s3:// FILE_STORE_URL`).join('; ')}`,
    );
  }
  return Object.freeze({
    kind: 's3',
    bucket,
    prefix: prefix ? `${prefix}/` : '',
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    accessKeyId: e.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? '',
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  });
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(blanksRemoved);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${reasons.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    dataDir,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DATABASE_POOL_SIZE,
          connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
          queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
        }
      : { kind: 'sqlite', file: resolve(dataDir, 'cekrek.db') },
    redisUrl: e.REDIS_URL,
    fileStore: fileStoreOf(e),
    secretKey: e.CEKREK_SECRET_KEY,
    checkRateLimit: e.CHECK_RATE_LIMIT,
    checkStaleAfterMs: e.CHECK_STALE_AFTER_MS,
    checkCounting: Object.freeze({
      enabled: e.CHECK_COUNTING,
      flushMs: e.CHECK_COUNTS_FLUSH_MS,
      earlyWarningMinClients: e.EARLY_WARNING_MIN_CLIENTS,
    }),
    signInRateLimit: e.SIGN_IN_RATE_LIMIT,
    session: Object.freeze({ idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS }),
    reportRateLimit: e.REPORT_RATE_LIMIT,
    registrationRateLimit: e.REGISTRATION_RATE_LIMIT,
    normalizationRateLimit: e.NORMALIZATION_RATE_LIMIT,
    nameCheckRateLimit: e.NAME_CHECK_RATE_LIMIT,
    reporterRateLimit: e.REPORTER_RATE_LIMIT,
    noJsSubmissionRateLimit: e.NOJS_SUBMISSION_RATE_LIMIT,
    trackingCodeRateLimit: e.TRACKING_CODE_RATE_LIMIT,
    uploadMaxFileBytes: e.UPLOAD_MAX_FILE_MB * 1024 * 1024,
    importMaxBytes: e.IMPORT_MAX_MB * 1024 * 1024,
    reviewClaimMinutes: e.REVIEW_CLAIM_MINUTES,
    mailFrom: e.MAIL_FROM,
    registrationRetentionDays: e.REGISTRATION_RETENTION_DAYS,
    sellerSigningKey: e.SELLER_SIGNING_KEY,
    normalizationDecisionDays: e.NORMALIZATION_DECISION_DAYS,
    reportReviewDays: e.REPORT_REVIEW_DAYS,
    registrationReviewDays: e.REGISTRATION_REVIEW_DAYS,
    reporterAnswerDays: e.REPORTER_ANSWER_DAYS,
    fourEyesIndependenceDays: e.FOUR_EYES_INDEPENDENCE_DAYS,
    operatorChangeApproval: e.OPERATOR_CHANGE_APPROVAL,
    demo: e.CEKREK_DEMO,
    challenge: e.CEKREK_CHALLENGE,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    smtpUrl: e.SMTP_URL,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    contact: Object.freeze({
      phones: e.CONTACT_PHONES.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      email: e.CONTACT_EMAIL,
      organization: e.CONTACT_ORGANIZATION,
    }),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    http: Object.freeze({
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.HTTP_BODY_TIMEOUT_MS,
      uploadBodyTimeoutMs: e.UPLOAD_BODY_TIMEOUT_MS,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEPALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    }),
  } satisfies Config);
}

/** The variables of the schema, for the README and `cekrek --help`. */
export const configVariables = Object.keys(envSchema.shape);
