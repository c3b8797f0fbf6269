// Operator accounts: create, disable, roles, credentials. Every change is one
// transaction with its audit entry.
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { Executor } from '../accounts/accounts.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ActorType } from '../audit/audit.events.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { generateOneTimePassword, hashPassword, passwordProblem } from './passwords.ts';
import { isRole, type Role } from './policy.ts';
import {
  deleteSessionsOf,
  findOperatorByEmail,
  findOperatorById,
  insertOperator,
  listOperators,
  replaceRoles,
  updateOperator,
  type OperatorRecord,
} from './operators.repository.ts';

/** Who acts: an operator through the back office, or someone at the command line. */
export interface Actor {
  readonly type: ActorType;
  readonly id: number | null;
  readonly label: string;
  readonly ip?: string | null | undefined;
}

/** What the rest of the system may know of an operator (no hashes, no secrets). */
export interface Operator {
  readonly id: number;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly mustChangePassword: boolean;
  readonly totpEnrolled: boolean;
  readonly disabled: boolean;
  readonly locked: boolean;
  readonly lastSignInAt: Date | null;
  readonly createdAt: Date;
}

export function toOperator(record: OperatorRecord, now: Date): Operator {
  return {
    id: record.id,
    email: record.email,
    roles: record.roles,
    mustChangePassword: record.mustChangePassword,
    totpEnrolled: record.totpEnrolledAt !== null,
    disabled: record.disabledAt !== null,
    locked: record.lockedUntil !== null && record.lockedUntil > now,
    lastSignInAt: record.lastSignInAt,
    createdAt: record.createdAt,
  };
}

const emailSchema = z.email().max(254);

export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (!emailSchema.safeParse(normalized).success) {
    throw new AppError('validation_failed', {
      errors: [{ field: 'email', reason: 'operator.email_invalid' }],
    });
  }
  return normalized;
}

function checkRoles(roles: readonly string[]): Role[] {
  const unique = [...new Set(roles)];
  const unknown = unique.filter((r) => !isRole(r));
  if (unique.length === 0 || unknown.length > 0) {
    throw new AppError('validation_failed', {
      errors: [{ field: 'roles', reason: 'operator.roles_invalid' }],
      params: { roles: unknown.join(', ') },
    });
  }
  return unique.filter(isRole).sort();
}

function checkPassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem)
    throw new AppError('validation_failed', { errors: [{ field: 'password', reason: problem }] });
}

export class OperatorsService {
  readonly #database: Database;
  readonly #audit: AuditService;
  readonly #clock: Clock;

  constructor(database: Database, audit: AuditService, clock: Clock) {
    this.#database = database;
    this.#audit = audit;
    this.#clock = clock;
  }

  async list(): Promise<Operator[]> {
    const now = this.#clock.now();
    return (await listOperators(this.#database.db)).map((r) => toOperator(r, now));
  }

  async get(id: number): Promise<Operator> {
    const record = await findOperatorById(this.#database.db, id);
    if (!record) throw new AppError('not_found');
    return toOperator(record, this.#clock.now());
  }

  /**
   * Creates an operator. With a password, it is used as given (automation);
   * without, a one-time password is generated, returned once, and must be
   * changed at first sign-in.
   */
  async create(
    input: { email: string; roles: readonly string[]; password?: string | undefined },
    actor: Actor,
  ): Promise<{ operator: Operator; oneTimePassword: string | null }> {
    const email = normalizeEmail(input.email);
    const roles = checkRoles(input.roles);
    if (input.password !== undefined) checkPassword(input.password, email);
    const oneTimePassword = input.password === undefined ? generateOneTimePassword() : null;
    const passwordHash = await hashPassword(input.password ?? oneTimePassword!);
    const now = this.#clock.now();
    const id = await this.#database.db.transaction().execute(async (trx) => {
      if (await findOperatorByEmail(trx, email)) throw new AppError('operator_exists');
      const newId = await insertOperator(
        trx,
        { email, passwordHash, mustChangePassword: oneTimePassword !== null, roles },
        now,
      );
      await this.#audit.record(trx, {
        actor,
        action: 'operator.created',
        subject: { type: 'operator', id: String(newId) },
        ip: actor.ip,
        details: { email, roles, oneTimePassword: oneTimePassword !== null },
      });
      return newId;
    });
    return { operator: await this.get(id), oneTimePassword };
  }

  /** Disables an operator and ends their sessions at once. */
  async disable(target: { email?: string; id?: number }, actor: Actor): Promise<Operator> {
    return this.#change(target, actor, 'operator.disabled', async (trx, record, now) => {
      if (actor.type === 'operator' && actor.id === record.id) {
        throw new AppError('validation_failed', {
          errors: [{ field: 'operator', reason: 'operator.not_yourself' }],
        });
      }
      await updateOperator(trx, record.id, { disabled_at: record.disabledAt ?? now }, now);
      const ended = await deleteSessionsOf(trx, record.id);
      return { sessionsEnded: ended };
    });
  }

  async enable(target: { id: number }, actor: Actor): Promise<Operator> {
    return this.#change(target, actor, 'operator.enabled', async (trx, record, now) => {
      await updateOperator(
        trx,
        record.id,
        { disabled_at: null, failed_sign_ins: 0, locked_until: null },
        now,
      );
      return {};
    });
  }

  async setRoles(
    target: { id: number },
    roles: readonly string[],
    actor: Actor,
  ): Promise<Operator> {
    const checked = checkRoles(roles);
    return this.#change(target, actor, 'operator.roles_changed', async (trx, record) => {
      if (actor.type === 'operator' && actor.id === record.id && !checked.includes('admin')) {
        throw new AppError('validation_failed', {
          errors: [{ field: 'roles', reason: 'operator.keep_own_admin' }],
        });
      }
      await replaceRoles(trx, record.id, checked);
      // New roles take effect on the next sign-in; end sessions so that is now.
      await deleteSessionsOf(trx, record.id);
      return { before: [...record.roles], after: checked };
    });
  }

  /** Issues a new one-time password (returned once) and ends the operator's sessions. */
  async resetPassword(target: { id: number }, actor: Actor): Promise<string> {
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    await this.#change(target, actor, 'operator.password_reset', async (trx, record, now) => {
      await updateOperator(
        trx,
        record.id,
        {
          password_hash: passwordHash,
          must_change_password: true,
          failed_sign_ins: 0,
          locked_until: null,
        },
        now,
      );
      await deleteSessionsOf(trx, record.id);
      return {};
    });
    return oneTimePassword;
  }

  /** Forgets the operator's authenticator; they enrol again at next sign-in. */
  async resetTotp(target: { id: number }, actor: Actor): Promise<Operator> {
    return this.#change(target, actor, 'operator.totp_reset', async (trx, record, now) => {
      await updateOperator(
        trx,
        record.id,
        { totp_secret: null, totp_enrolled_at: null, totp_last_step: null },
        now,
      );
      await deleteSessionsOf(trx, record.id);
      return {};
    });
  }

  async #change(
    target: { email?: string; id?: number },
    actor: Actor,
    action:
      | 'operator.disabled'
      | 'operator.enabled'
      | 'operator.roles_changed'
      | 'operator.password_reset'
      | 'operator.totp_reset',
    apply: (
      trx: Executor,
      record: OperatorRecord,
      now: Date,
    ) => Promise<Record<string, string | number | boolean | null | readonly string[]>>,
  ): Promise<Operator> {
    const now = this.#clock.now();
    const id = await this.#database.db.transaction().execute(async (trx) => {
      const record =
        target.id !== undefined
          ? await findOperatorById(trx, target.id, {
              forUpdate: this.#database.dialect === 'postgres',
            })
          : await findOperatorByEmail(trx, normalizeEmail(target.email ?? ''), {
              forUpdate: this.#database.dialect === 'postgres',
            });
      if (!record) throw new AppError('not_found');
      const details = await apply(trx, record, now);
      await this.#audit.record(trx, {
        actor,
        action,
        subject: { type: 'operator', id: String(record.id) },
        ip: actor.ip,
        details: { email: record.email, ...details },
      });
      return record.id;
    });
    return this.get(id);
  }
}
