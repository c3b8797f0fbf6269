// Operator accounts: create, disable, roles, credentials. Every change is one
// transaction with its audit entry and, when an operator made it to another
// operator's account, the link the four-eyes rule reads (four-eyes.ts). With
// OPERATOR_CHANGE_APPROVAL on, an operator's changes go through
// OperatorChangesService, which applies them here once a second admin approves.
import * as z from 'zod';
import type { Database, Executor } from '../db/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ActorType, AuditDetails, OperatorChangeAction } from '../audit/audit.service.ts';
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
import { insertOperatorLinks } from './operator-changes.repository.ts';

// The roles and what they allow are part of what other features may know of operators.
export { allows, isRole, roles, type Permission, type Role } from './policy.ts';

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

export function checkRoles(roles: readonly string[]): Role[] {
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

/** A change to an operator account that a second admin may have to approve. */
export type OperatorChange =
  | { readonly kind: 'create'; readonly email: string; readonly roles: readonly string[] }
  | { readonly kind: 'roles'; readonly operatorId: number; readonly roles: readonly string[] }
  | { readonly kind: 'enable' | 'password_reset' | 'totp_reset'; readonly operatorId: number };

/** A change checked, with its password hashed before the transaction (argon2 takes a while). */
export type PreparedChange =
  | {
      readonly kind: 'create';
      readonly email: string;
      readonly roles: readonly Role[];
      readonly passwordHash: string;
      readonly oneTimePassword: string | null;
    }
  | { readonly kind: 'roles'; readonly operatorId: number; readonly roles: readonly Role[] }
  | {
      readonly kind: 'password_reset';
      readonly operatorId: number;
      readonly passwordHash: string;
      readonly oneTimePassword: string;
    }
  | { readonly kind: 'enable' | 'totp_reset'; readonly operatorId: number };

/** The request a second admin approved, when the change was one. */
export interface Approval {
  readonly request: number;
  readonly requestedBy: { readonly id: number; readonly label: string };
}

export interface Applied {
  readonly operatorId: number;
  readonly oneTimePassword: string | null;
}

type Details = Record<string, string | number | boolean | null | readonly string[]>;

export class OperatorsService {
  readonly #database: Database;
  readonly #audit: AuditService;
  readonly #clock: Clock;
  readonly #changesNeedApproval: boolean;

  /** `changesNeedApproval`: OPERATOR_CHANGE_APPROVAL. */
  constructor(database: Database, audit: AuditService, clock: Clock, changesNeedApproval = false) {
    this.#database = database;
    this.#audit = audit;
    this.#clock = clock;
    this.#changesNeedApproval = changesNeedApproval;
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
    this.#refuseUnapproved(actor);
    const email = normalizeEmail(input.email);
    const roles = checkRoles(input.roles);
    if (input.password !== undefined) checkPassword(input.password, email);
    const oneTimePassword = input.password === undefined ? generateOneTimePassword() : null;
    const passwordHash = await hashPassword(input.password ?? oneTimePassword!);
    const { operatorId } = await this.#applyAlone(
      { kind: 'create', email, roles, passwordHash, oneTimePassword },
      actor,
    );
    return { operator: await this.get(operatorId), oneTimePassword };
  }

  /** Disables an operator and ends their sessions at once (never waits for approval). */
  async disable(target: { email?: string; id?: number }, actor: Actor): Promise<Operator> {
    const id = await this.#database.db.transaction().execute((trx) =>
      this.#change(trx, target, actor, 'operator.disabled', async (record, now) => {
        if (actor.type === 'operator' && actor.id === record.id) {
          throw new AppError('validation_failed', {
            errors: [{ field: 'operator', reason: 'operator.not_yourself' }],
          });
        }
        await updateOperator(trx, record.id, { disabled_at: record.disabledAt ?? now }, now);
        const ended = await deleteSessionsOf(trx, record.id);
        return { sessionsEnded: ended };
      }),
    );
    return this.get(id);
  }

  async enable(target: { id: number }, actor: Actor): Promise<Operator> {
    this.#refuseUnapproved(actor);
    await this.#applyAlone({ kind: 'enable', operatorId: target.id }, actor);
    return this.get(target.id);
  }

  async setRoles(
    target: { id: number },
    roles: readonly string[],
    actor: Actor,
  ): Promise<Operator> {
    this.#refuseUnapproved(actor);
    await this.#applyAlone(
      { kind: 'roles', operatorId: target.id, roles: checkRoles(roles) },
      actor,
    );
    return this.get(target.id);
  }

  /** Issues a new one-time password (returned once) and ends the operator's sessions. */
  async resetPassword(target: { id: number }, actor: Actor): Promise<string> {
    this.#refuseUnapproved(actor);
    const prepared = await this.prepare({ kind: 'password_reset', operatorId: target.id });
    const { oneTimePassword } = await this.#applyAlone(prepared, actor);
    return oneTimePassword!;
  }

  /** Forgets the operator's authenticator; they enrol again at next sign-in. */
  async resetTotp(target: { id: number }, actor: Actor): Promise<Operator> {
    this.#refuseUnapproved(actor);
    await this.#applyAlone({ kind: 'totp_reset', operatorId: target.id }, actor);
    return this.get(target.id);
  }

  /** Checks a change and hashes the one-time password it will hand out. */
  async prepare(change: OperatorChange): Promise<PreparedChange> {
    switch (change.kind) {
      case 'create': {
        const oneTimePassword = generateOneTimePassword();
        return {
          kind: 'create',
          email: normalizeEmail(change.email),
          roles: checkRoles(change.roles),
          passwordHash: await hashPassword(oneTimePassword),
          oneTimePassword,
        };
      }
      case 'roles':
        return { kind: 'roles', operatorId: change.operatorId, roles: checkRoles(change.roles) };
      case 'password_reset': {
        const oneTimePassword = generateOneTimePassword();
        return {
          kind: 'password_reset',
          operatorId: change.operatorId,
          passwordHash: await hashPassword(oneTimePassword),
          oneTimePassword,
        };
      }
      case 'enable':
      case 'totp_reset':
        return { kind: change.kind, operatorId: change.operatorId };
    }
  }

  /**
   * Applies a prepared change inside the caller's transaction, with its audit
   * entry and links: the approval of a second admin uses it, so that the
   * decision and the change it allows commit together.
   */
  async applyIn(
    trx: Executor,
    change: PreparedChange,
    actor: Actor,
    approval?: Approval,
  ): Promise<Applied> {
    const extra: Details = approval
      ? { request: approval.request, requestedBy: approval.requestedBy.label }
      : {};
    const linked = [actor.type === 'operator' ? actor.id : null, approval?.requestedBy.id ?? null];
    if (change.kind === 'create') {
      const operatorId = await this.#insert(trx, change, actor, extra, linked);
      return { operatorId, oneTimePassword: change.oneTimePassword };
    }
    const target = { id: change.operatorId };
    const action = changeActions[change.kind];
    const operatorId = await this.#change(
      trx,
      target,
      actor,
      action,
      async (record, now) => ({
        ...(await this.#update(trx, change, record, actor, now)),
        ...extra,
      }),
      linked,
    );
    return {
      operatorId,
      oneTimePassword: change.kind === 'password_reset' ? change.oneTimePassword : null,
    };
  }

  /** An operator's change that must wait for a second admin is a mistake of the caller. */
  #refuseUnapproved(actor: Actor): void {
    if (this.#changesNeedApproval && actor.type === 'operator') {
      throw new Error(
        'operator changes need a second admin: submit them to OperatorChangesService',
      );
    }
  }

  #applyAlone(change: PreparedChange, actor: Actor): Promise<Applied> {
    return this.#database.db.transaction().execute((trx) => this.applyIn(trx, change, actor));
  }

  async #insert(
    trx: Executor,
    change: Extract<PreparedChange, { kind: 'create' }>,
    actor: Actor,
    extra: Details,
    linked: readonly (number | null)[],
  ): Promise<number> {
    const { email, roles, passwordHash, oneTimePassword } = change;
    const now = this.#clock.now();
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
      details: { email, roles, oneTimePassword: oneTimePassword !== null, ...extra },
    });
    await this.#link(trx, newId, 'operator.created', linked, now);
    return newId;
  }

  async #update(
    trx: Executor,
    change: Exclude<PreparedChange, { kind: 'create' }>,
    record: OperatorRecord,
    actor: Actor,
    now: Date,
  ): Promise<Details> {
    switch (change.kind) {
      case 'enable':
        await updateOperator(
          trx,
          record.id,
          { disabled_at: null, failed_sign_ins: 0, locked_until: null },
          now,
        );
        return {};
      case 'roles':
        if (
          actor.type === 'operator' &&
          actor.id === record.id &&
          !change.roles.includes('admin')
        ) {
          throw new AppError('validation_failed', {
            errors: [{ field: 'roles', reason: 'operator.keep_own_admin' }],
          });
        }
        await replaceRoles(trx, record.id, change.roles);
        // New roles take effect on the next sign-in; end sessions so that is now.
        await deleteSessionsOf(trx, record.id);
        return { before: [...record.roles], after: change.roles };
      case 'password_reset':
        await updateOperator(
          trx,
          record.id,
          {
            password_hash: change.passwordHash,
            must_change_password: true,
            failed_sign_ins: 0,
            locked_until: null,
          },
          now,
        );
        await deleteSessionsOf(trx, record.id);
        return {};
      case 'totp_reset':
        await updateOperator(
          trx,
          record.id,
          { totp_secret: null, totp_enrolled_at: null, totp_last_step: null },
          now,
        );
        await deleteSessionsOf(trx, record.id);
        return {};
    }
  }

  async #change(
    trx: Executor,
    target: { email?: string; id?: number },
    actor: Actor,
    action: 'operator.disabled' | OperatorChangeAction,
    apply: (record: OperatorRecord, now: Date) => Promise<AuditDetails>,
    linked: readonly (number | null)[] = [],
  ): Promise<number> {
    const now = this.#clock.now();
    const forUpdate = this.#database.dialect === 'postgres';
    const record =
      target.id !== undefined
        ? await findOperatorById(trx, target.id, { forUpdate })
        : await findOperatorByEmail(trx, normalizeEmail(target.email ?? ''), { forUpdate });
    if (!record) throw new AppError('not_found');
    const details = await apply(record, now);
    await this.#audit.record(trx, {
      actor,
      action,
      subject: { type: 'operator', id: String(record.id) },
      ip: actor.ip,
      details: { email: record.email, ...details },
    });
    if (action !== 'operator.disabled') await this.#link(trx, record.id, action, linked, now);
    return record.id;
  }

  /** Records who changed the account, for the four-eyes rule; not a change to one's own. */
  async #link(
    trx: Executor,
    operatorId: number,
    action: OperatorChangeAction,
    by: readonly (number | null)[],
    at: Date,
  ): Promise<void> {
    const others = [...new Set(by)].filter((id): id is number => id !== null && id !== operatorId);
    await insertOperatorLinks(
      trx,
      others.map((byOperatorId) => ({ operatorId, byOperatorId, action, at })),
    );
  }
}

const changeActions = {
  enable: 'operator.enabled',
  roles: 'operator.roles_changed',
  password_reset: 'operator.password_reset',
  totp_reset: 'operator.totp_reset',
} as const satisfies Record<Exclude<OperatorChange['kind'], 'create'>, OperatorChangeAction>;

export { FourEyesRule, type FourEyesVerdict } from './four-eyes.ts';
