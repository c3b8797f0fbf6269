// Signing in (password, then TOTP), enrolment, sessions and CSRF tokens.
//
// Sessions live in the database; the cookie holds a random token and the
// table only its SHA-256, so a leaked table opens no session. The CSRF token
// is an HMAC of the session token: bound to the session, nothing to store.
// Unknown e-mail, disabled operator and wrong password answer the same, after
// the same argon2 work.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, Executor } from '../db/database.ts';
import type { SessionStage } from '../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { hashPassword, passwordMatches, passwordProblem } from './passwords.ts';
import { newTotpSecret, totpUri, verifyTotp } from './totp.ts';
import { normalizeEmail, toOperator, type Actor, type Operator } from './operators.service.ts';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOf,
  findOperatorByEmail,
  findOperatorById,
  findSession,
  insertSession,
  touchSession,
  updateOperator,
  type OperatorRecord,
} from './operators.repository.ts';

export interface SessionPolicy {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  readonly absoluteMs: number;
  /** Failed sign-ins in a row before the account locks. */
  readonly maxFailures: number;
  readonly lockMs: number;
}

export const defaultSessionPolicy: SessionPolicy = {
  idleMs: 30 * 60 * 1000,
  absoluteMs: 12 * 60 * 60 * 1000,
  maxFailures: 5,
  lockMs: 15 * 60 * 1000,
};

/** Only write last_seen_at when it moved this much: reads stay reads. */
const touchEveryMs = 60 * 1000;

export interface Client {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** The session as the HTTP layer sees it: the token goes in the cookie. */
export interface IssuedSession {
  readonly token: string;
  readonly stage: SessionStage;
  readonly expiresAt: Date;
}

export interface ActiveSession {
  readonly id: string;
  readonly stage: SessionStage;
  readonly operator: Operator;
  readonly expiresAt: Date;
}

export type SignInResult =
  | { readonly kind: 'signed_in'; readonly session: IssuedSession; readonly operator: Operator }
  | {
      readonly kind: 'enrollment';
      readonly session: IssuedSession;
      readonly operator: Operator;
      readonly otpauthUrl: string;
      readonly secret: string;
    };

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function stageOf(record: OperatorRecord): SessionStage {
  if (record.totpEnrolledAt === null) return 'enrollment';
  if (record.mustChangePassword) return 'password';
  return 'full';
}

function actorOf(record: OperatorRecord, client: Client): Actor {
  return { type: 'operator', id: record.id, label: record.email, ip: client.ip };
}

export class SessionsService {
  readonly #database: Database;
  readonly #audit: AuditService;
  readonly #clock: Clock;
  readonly #box: SecretBox;
  readonly #policy: SessionPolicy;
  /** Verified against for unknown e-mails, so they cost what a real check costs. */
  readonly #decoyHash: Promise<string>;

  constructor(
    deps: { database: Database; audit: AuditService; clock: Clock; box: SecretBox },
    policy: SessionPolicy = defaultSessionPolicy,
  ) {
    this.#database = deps.database;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#box = deps.box;
    this.#policy = policy;
    this.#decoyHash = hashPassword(randomBytes(24).toString('base64url'));
  }

  get policy(): SessionPolicy {
    return this.#policy;
  }

  csrfToken(token: string): string {
    return this.#box.keyedHash(`csrf:${token}`, 'session');
  }

  csrfMatches(token: string, candidate: string | undefined): boolean {
    if (!candidate) return false;
    const expected = Buffer.from(this.csrfToken(token));
    const given = Buffer.from(candidate);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  async signIn(
    input: { email: string; password: string; totp?: string | undefined },
    client: Client,
  ): Promise<SignInResult> {
    const now = this.#clock.now();
    let email: string;
    try {
      email = normalizeEmail(input.email);
    } catch {
      await passwordMatches(await this.#decoyHash, input.password);
      throw new AppError('invalid_credentials');
    }
    const record = await findOperatorByEmail(this.#database.db, email);
    const passwordOk = await passwordMatches(
      record?.passwordHash ?? (await this.#decoyHash),
      input.password,
    );

    if (!record || record.disabledAt) {
      await this.#audit.recordAlone({
        actor: { type: 'operator', id: record?.id ?? null, label: email },
        action: 'session.sign_in_failed',
        ip: client.ip,
        outcome: 'failure',
        details: { reason: record ? 'disabled' : 'unknown_email' },
      });
      throw new AppError('invalid_credentials');
    }
    if (record.lockedUntil && record.lockedUntil > now) {
      await this.#fail(record, client, 'locked');
      throw new AppError('invalid_credentials');
    }
    if (!passwordOk) {
      await this.#fail(record, client, 'wrong_password');
      throw new AppError('invalid_credentials');
    }

    if (record.totpEnrolledAt) {
      const step = await this.#checkTotp(record, input.totp, now);
      if (step === 'missing') throw new AppError('totp_required');
      if (step === null) {
        await this.#fail(record, client, 'wrong_totp');
        throw new AppError('totp_required');
      }
      const session = await this.#open(record, client, now, { totp_last_step: step });
      return { kind: 'signed_in', session, operator: toOperator(record, now) };
    }

    // Not enrolled yet: the pending secret is kept so a second sign-in shows the same QR code.
    const secret = record.totpSecret
      ? this.#box.openText(record.totpSecret, 'totp', `operator:${record.id}`)
      : newTotpSecret();
    const session = await this.#open(record, client, now, {
      totp_secret: record.totpSecret ?? this.#box.seal(secret, 'totp', `operator:${record.id}`),
    });
    return {
      kind: 'enrollment',
      session,
      operator: toOperator(record, now),
      otpauthUrl: totpUri(secret, record.email),
      secret,
    };
  }

  async #checkTotp(
    record: OperatorRecord,
    code: string | undefined,
    now: Date,
  ): Promise<number | null | 'missing'> {
    if (!code) return 'missing';
    if (!record.totpSecret) return null;
    const secret = this.#box.openText(record.totpSecret, 'totp', `operator:${record.id}`);
    return verifyTotp(secret, code.replace(/\s/g, ''), now, record.totpLastStep);
  }

  async #fail(record: OperatorRecord, client: Client, reason: string): Promise<void> {
    const now = this.#clock.now();
    await this.#database.db.transaction().execute(async (trx) => {
      const current = (await findOperatorById(trx, record.id, this.#lock())) ?? record;
      const failures = current.failedSignIns + 1;
      const locks = failures >= this.#policy.maxFailures && reason !== 'locked';
      await updateOperator(
        trx,
        record.id,
        {
          failed_sign_ins: locks ? 0 : failures,
          ...(locks ? { locked_until: new Date(now.getTime() + this.#policy.lockMs) } : {}),
        },
        now,
      );
      await this.#audit.record(trx, {
        actor: actorOf(record, client),
        action: 'session.sign_in_failed',
        subject: { type: 'operator', id: String(record.id) },
        ip: client.ip,
        outcome: 'failure',
        details: { reason },
      });
      if (locks) {
        await this.#audit.record(trx, {
          actor: { type: 'system', id: null, label: 'cekrek' },
          action: 'session.locked',
          subject: { type: 'operator', id: String(record.id) },
          ip: client.ip,
          outcome: 'success',
          details: { failures, minutes: this.#policy.lockMs / 60_000 },
        });
      }
    });
  }

  #lock() {
    return { forUpdate: this.#database.dialect === 'postgres' };
  }

  /** Starts a session (a new token every time: sign-in rotates the session). */
  async #open(
    record: OperatorRecord,
    client: Client,
    now: Date,
    changes: { totp_last_step?: number; totp_secret?: string },
  ): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const stage = stageOf(record);
    const expiresAt = new Date(now.getTime() + this.#policy.absoluteMs);
    await this.#database.db.transaction().execute(async (trx) => {
      await updateOperator(
        trx,
        record.id,
        {
          ...changes,
          failed_sign_ins: 0,
          locked_until: null,
          ...(stage === 'full' ? { last_sign_in_at: now } : {}),
        },
        now,
      );
      await insertSession(trx, {
        id: sessionIdOf(token),
        operatorId: record.id,
        stage,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 300) ?? null,
      });
      await this.#audit.record(trx, {
        actor: actorOf(record, client),
        action: 'session.signed_in',
        subject: { type: 'operator', id: String(record.id) },
        ip: client.ip,
        details: { stage },
      });
    });
    return { token, stage, expiresAt };
  }

  /** The live session behind a cookie token, or null (unknown, expired, operator disabled). */
  async authenticate(token: string | undefined): Promise<ActiveSession | null> {
    if (!token || token.length > 100) return null;
    const now = this.#clock.now();
    const id = sessionIdOf(token);
    const session = await findSession(this.#database.db, id);
    if (!session) return null;
    const idle = now.getTime() - session.lastSeenAt.getTime() > this.#policy.idleMs;
    if (idle || session.expiresAt <= now) {
      await deleteSession(this.#database.db, id);
      return null;
    }
    const record = await findOperatorById(this.#database.db, session.operatorId);
    if (!record || record.disabledAt) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > touchEveryMs) {
      await touchSession(this.#database.db, id, now);
    }
    return {
      id,
      stage: session.stage,
      operator: toOperator(record, now),
      expiresAt: session.expiresAt,
    };
  }

  /**
   * The pending secret of an enrolment session, opened again: the enrolment
   * page shows it after the sign-in redirect, so it need not travel in a URL
   * or a cookie. Forbidden once the operator has enrolled.
   */
  async pendingEnrollment(
    session: ActiveSession,
  ): Promise<{ readonly otpauthUrl: string; readonly secret: string }> {
    const record = await findOperatorById(this.#database.db, session.operator.id);
    if (!record || record.totpEnrolledAt || !record.totpSecret) throw new AppError('forbidden');
    const secret = this.#box.openText(record.totpSecret, 'totp', `operator:${record.id}`);
    return { otpauthUrl: totpUri(secret, record.email), secret };
  }

  /** Finishes TOTP enrolment with a code from the new authenticator; returns a rotated session. */
  async enrollTotp(session: ActiveSession, code: string, client: Client): Promise<IssuedSession> {
    const now = this.#clock.now();
    const record = await findOperatorById(this.#database.db, session.operator.id);
    if (!record || record.totpEnrolledAt || !record.totpSecret) throw new AppError('forbidden');
    const step = await this.#checkTotp(record, code, now);
    if (step === null || step === 'missing') throw new AppError('totp_required');
    return this.#rotate(session, client, now, async (trx) => {
      await updateOperator(trx, record.id, { totp_enrolled_at: now, totp_last_step: step }, now);
      await this.#audit.record(trx, {
        actor: actorOf(record, client),
        action: 'operator.totp_enrolled',
        subject: { type: 'operator', id: String(record.id) },
        ip: client.ip,
      });
      return stageOf({ ...record, totpEnrolledAt: now });
    });
  }

  /** Changes the operator's own password; ends their other sessions; returns a rotated session. */
  async changePassword(
    session: ActiveSession,
    input: { currentPassword: string; newPassword: string },
    client: Client,
  ): Promise<IssuedSession> {
    const now = this.#clock.now();
    const record = await findOperatorById(this.#database.db, session.operator.id);
    if (!record) throw new AppError('unauthorized');
    if (!(await passwordMatches(record.passwordHash, input.currentPassword))) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'currentPassword', reason: 'password.current_wrong' }],
      });
    }
    const problem =
      passwordProblem(input.newPassword, record.email) ??
      (input.newPassword === input.currentPassword ? 'password.unchanged' : null);
    if (problem) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'newPassword', reason: problem }],
      });
    }
    const passwordHash = await hashPassword(input.newPassword);
    return this.#rotate(session, client, now, async (trx) => {
      await updateOperator(
        trx,
        record.id,
        { password_hash: passwordHash, must_change_password: false },
        now,
      );
      await deleteSessionsOf(trx, record.id);
      await this.#audit.record(trx, {
        actor: actorOf(record, client),
        action: 'operator.password_changed',
        subject: { type: 'operator', id: String(record.id) },
        ip: client.ip,
      });
      return stageOf({ ...record, mustChangePassword: false });
    });
  }

  async #rotate(
    session: ActiveSession,
    client: Client,
    now: Date,
    change: (trx: Executor) => Promise<SessionStage>,
  ): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.#policy.absoluteMs);
    const stage = await this.#database.db.transaction().execute(async (trx) => {
      const next = await change(trx);
      await deleteSession(trx, session.id);
      await insertSession(trx, {
        id: sessionIdOf(token),
        operatorId: session.operator.id,
        stage: next,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 300) ?? null,
      });
      if (next === 'full')
        await updateOperator(trx, session.operator.id, { last_sign_in_at: now }, now);
      return next;
    });
    return { token, stage, expiresAt };
  }

  async signOut(session: ActiveSession, client: Client): Promise<void> {
    await this.#database.db.transaction().execute(async (trx) => {
      await deleteSession(trx, session.id);
      await this.#audit.record(trx, {
        actor: { type: 'operator', id: session.operator.id, label: session.operator.email },
        action: 'session.signed_out',
        subject: { type: 'operator', id: String(session.operator.id) },
        ip: client.ip,
      });
    });
  }

  async signOutEverywhere(session: ActiveSession, client: Client): Promise<number> {
    return this.#database.db.transaction().execute(async (trx) => {
      const ended = await deleteSessionsOf(trx, session.operator.id);
      await this.#audit.record(trx, {
        actor: { type: 'operator', id: session.operator.id, label: session.operator.email },
        action: 'session.signed_out_everywhere',
        subject: { type: 'operator', id: String(session.operator.id) },
        ip: client.ip,
        details: { sessionsEnded: ended },
      });
      return ended;
    });
  }

  /** Housekeeping: remove sessions past their idle or absolute expiry. */
  async sweepExpired(): Promise<void> {
    const now = this.#clock.now();
    await deleteExpiredSessions(
      this.#database.db,
      new Date(now.getTime() - this.#policy.idleMs),
      now,
    );
  }
}
