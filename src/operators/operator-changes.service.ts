// Operator changes made by operators: applied at once, or, with
// OPERATOR_CHANGE_APPROVAL on, kept as a request until a second admin
// approves or rejects it. Creating, enabling and resetting an operator and
// changing roles need approval; disabling never waits. The approver must
// count as another person under the four-eyes rule (not the requester, not
// linked to them, not the operator the change is for). The one-time password
// of an approved creation or reset is generated at approval and shown to the
// approver only: nothing secret is stored while a request waits, and the
// requester never holds the credential of an account they asked for.
import type { Database } from '../db/database.ts';
import type { OperatorChangeKind, OperatorChangeStatus } from '../db/schema.ts';
import type { AuditDetails } from '../audit/audit.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { FourEyesRule } from './four-eyes.ts';
import { findOperatorByEmail, findOperatorById, listOperators } from './operators.repository.ts';
import {
  decideChangeRequest,
  findChangeRequest,
  hasPendingChange,
  insertChangeRequest,
  listChangeRequests,
  countPendingChanges,
  targetKey,
  type ChangeRequestRecord,
} from './operator-changes.repository.ts';
import {
  checkRoles,
  normalizeEmail,
  type Actor,
  type Operator,
  type OperatorChange,
  type OperatorsService,
} from './operators.service.ts';
import type { Role } from './policy.ts';

export const changeKinds = [
  'create',
  'enable',
  'roles',
  'password_reset',
  'totp_reset',
] as const satisfies readonly OperatorChangeKind[];
export const changeStatuses = [
  'pending',
  'approved',
  'rejected',
] as const satisfies readonly OperatorChangeStatus[];

type OperatorActor = Actor & { readonly id: number };

export interface Person {
  readonly id: number;
  readonly email: string;
}

/** A request as the back office shows it: operators named by e-mail. */
export interface ChangeRequest {
  readonly id: number;
  readonly kind: OperatorChangeKind;
  readonly status: OperatorChangeStatus;
  /** The operator the change is for; for a creation, the new operator once approved. */
  readonly operatorId: number | null;
  /** The new operator's e-mail (creation), or the e-mail of the operator the change is for. */
  readonly email: string | null;
  readonly roles: readonly Role[] | null;
  readonly requestedBy: Person;
  readonly requestedAt: Date;
  readonly decidedBy: Person | null;
  readonly decidedAt: Date | null;
  readonly reason: string | null;
}

export type Submitted =
  | {
      readonly state: 'applied';
      readonly operator: Operator;
      readonly oneTimePassword: string | null;
    }
  | { readonly state: 'pending'; readonly request: ChangeRequest };

export interface Decided {
  readonly request: ChangeRequest;
  /** The operator as the approved change left them (null when rejected). */
  readonly operator: Operator | null;
  /** Shown once, to the approver, for an approved creation or password reset. */
  readonly oneTimePassword: string | null;
}

export interface OperatorChangesDeps {
  readonly database: Database;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly operators: OperatorsService;
  readonly fourEyes: FourEyesRule;
  /** OPERATOR_CHANGE_APPROVAL. */
  readonly needApproval: boolean;
}

function requestSubject(id: number) {
  return { type: 'operator_change', id: String(id) };
}

export class OperatorChangesService {
  readonly #d: OperatorChangesDeps;

  constructor(deps: OperatorChangesDeps) {
    this.#d = deps;
  }

  get needApproval(): boolean {
    return this.#d.needApproval;
  }

  /** Applies the change, or, when a second admin must approve it, records the request. */
  async submit(change: OperatorChange, actor: Actor): Promise<Submitted> {
    if (!this.#d.needApproval || actor.type !== 'operator' || actor.id === null) {
      return { state: 'applied', ...(await this.#applyNow(change, actor)) };
    }
    const id = await this.#request(change, { ...actor, id: actor.id });
    return { state: 'pending', request: await this.get(id) };
  }

  async get(id: number): Promise<ChangeRequest> {
    const record = await findChangeRequest(this.#d.database.db, id);
    if (!record) throw new AppError('not_found');
    return (await this.#named([record]))[0]!;
  }

  async list(statuses: readonly OperatorChangeStatus[], limit = 100): Promise<ChangeRequest[]> {
    return this.#named(await listChangeRequests(this.#d.database.db, statuses, limit));
  }

  countPending(): Promise<number> {
    return countPendingChanges(this.#d.database.db);
  }

  /**
   * A second admin approves (the change takes effect, in the same transaction)
   * or rejects a pending request. The requester may withdraw their own
   * request (reject it), never approve it.
   */
  async decide(
    id: number,
    decision: { approve: boolean; reason: string | null },
    actor: OperatorActor,
  ): Promise<Decided> {
    const { database, audit, clock, operators, fourEyes } = this.#d;
    const before = await findChangeRequest(database.db, id);
    if (!before) throw new AppError('not_found');
    if (before.status !== 'pending') throw new AppError('already_decided');
    const refused = await this.#refusal(before, actor, decision.approve);
    if (refused) {
      await audit.recordAlone({
        actor,
        action: 'access.denied',
        subject: requestSubject(id),
        ip: actor.ip,
        outcome: 'denied',
        details: { ...refused.details, kind: before.kind },
      });
      throw refused.error;
    }
    const prepared = decision.approve ? await operators.prepare(changeOf(before)) : null;
    const requester = await findOperatorById(database.db, before.requestedBy);
    const now = clock.now();
    const applied = await database.db.transaction().execute(async (trx) => {
      const request = await findChangeRequest(trx, id, {
        forUpdate: database.dialect === 'postgres',
      });
      if (!request || request.status !== 'pending') throw new AppError('already_decided');
      if (prepared) {
        const verdict = await fourEyes.verdict(trx, request.requestedBy, actor.id);
        if (!verdict.independent) throw fourEyes.refusal(verdict, 'requester');
      }
      const result = prepared
        ? await operators.applyIn(trx, prepared, actor, {
            request: id,
            requestedBy: { id: request.requestedBy, label: requester?.email ?? '' },
          })
        : null;
      await decideChangeRequest(trx, id, {
        status: prepared ? 'approved' : 'rejected',
        by: actor.id,
        at: now,
        reason: decision.reason,
        operatorId: result?.operatorId ?? null,
      });
      await audit.record(trx, {
        actor,
        action: prepared ? 'operator.change_approved' : 'operator.change_rejected',
        subject: requestSubject(id),
        ip: actor.ip,
        details: {
          kind: request.kind,
          operator: result?.operatorId ?? request.operatorId,
          requestedBy: requester?.email ?? String(request.requestedBy),
          reason: decision.reason,
        },
      });
      return result;
    });
    return {
      request: await this.get(id),
      operator: applied ? await operators.get(applied.operatorId) : null,
      oneTimePassword: applied?.oneTimePassword ?? null,
    };
  }

  async #applyNow(
    change: OperatorChange,
    actor: Actor,
  ): Promise<{ operator: Operator; oneTimePassword: string | null }> {
    const { operators } = this.#d;
    switch (change.kind) {
      case 'create':
        return operators.create(change, actor);
      case 'enable':
        return {
          operator: await operators.enable({ id: change.operatorId }, actor),
          oneTimePassword: null,
        };
      case 'roles':
        return {
          operator: await operators.setRoles({ id: change.operatorId }, change.roles, actor),
          oneTimePassword: null,
        };
      case 'password_reset': {
        const oneTimePassword = await operators.resetPassword({ id: change.operatorId }, actor);
        return { operator: await operators.get(change.operatorId), oneTimePassword };
      }
      case 'totp_reset':
        return {
          operator: await operators.resetTotp({ id: change.operatorId }, actor),
          oneTimePassword: null,
        };
    }
  }

  /** Checks the change as it would be applied now, and records it as pending. */
  async #request(change: OperatorChange, actor: OperatorActor): Promise<number> {
    const { database, audit, clock } = this.#d;
    const email = change.kind === 'create' ? normalizeEmail(change.email) : null;
    const roles =
      change.kind === 'create' || change.kind === 'roles' ? checkRoles(change.roles) : null;
    const operatorId = change.kind === 'create' ? null : change.operatorId;
    if (change.kind === 'roles' && operatorId === actor.id && !roles!.includes('admin')) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'roles', reason: 'operator.keep_own_admin' }],
      });
    }
    const now = clock.now();
    return database.db.transaction().execute(async (trx) => {
      const target = operatorId === null ? null : await findOperatorById(trx, operatorId);
      if (operatorId !== null && !target) throw new AppError('not_found');
      if (email !== null && (await findOperatorByEmail(trx, email))) {
        throw new AppError('operator_exists');
      }
      const key = targetKey(change.kind, {
        operatorId: operatorId ?? undefined,
        email: email ?? undefined,
      });
      if (await hasPendingChange(trx, key)) {
        throw new AppError('already_pending', { params: { variant: 'operator_change' } });
      }
      const id = await insertChangeRequest(trx, {
        kind: change.kind,
        operatorId,
        email,
        roles,
        requestedBy: actor.id,
        at: now,
      });
      await audit.record(trx, {
        actor,
        action: 'operator.change_requested',
        subject: requestSubject(id),
        ip: actor.ip,
        details: {
          kind: change.kind,
          operator: operatorId,
          email: email ?? target?.email ?? null,
          ...(roles ? { roles } : {}),
        },
      });
      return id;
    });
  }

  /**
   * Why this operator may not decide the request, or null. Approving takes a
   * second person under the four-eyes rule; no one decides a change to their
   * own account (rejecting it would let them block it).
   */
  async #refusal(
    request: ChangeRequestRecord,
    actor: OperatorActor,
    approve: boolean,
  ): Promise<{ error: AppError; details: AuditDetails } | null> {
    const { fourEyes, database } = this.#d;
    if (request.operatorId === actor.id && request.requestedBy !== actor.id) {
      return {
        error: new AppError('four_eyes', { params: { variant: 'own_account' } }),
        details: { rule: 'four_eyes', why: 'own_account' },
      };
    }
    if (!approve) return null;
    const verdict = await fourEyes.verdict(database.db, request.requestedBy, actor.id);
    if (verdict.independent) return null;
    return { error: fourEyes.refusal(verdict, 'requester'), details: fourEyes.details(verdict) };
  }

  /** Names the operators of each request by e-mail, in one query. */
  async #named(records: readonly ChangeRequestRecord[]): Promise<ChangeRequest[]> {
    const emails = new Map(
      (await listOperators(this.#d.database.db)).map((o) => [o.id, o.email] as const),
    );
    const person = (id: number): Person => ({ id, email: emails.get(id) ?? `#${id}` });
    return records.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      operatorId: r.operatorId,
      email: r.email ?? (r.operatorId === null ? null : (emails.get(r.operatorId) ?? null)),
      roles: r.roles,
      requestedBy: person(r.requestedBy),
      requestedAt: r.requestedAt,
      decidedBy: r.decidedBy === null ? null : person(r.decidedBy),
      decidedAt: r.decidedAt,
      reason: r.reason,
    }));
  }
}

/** The change a request asks for, as it is applied on approval. */
function changeOf(request: ChangeRequestRecord): OperatorChange {
  switch (request.kind) {
    case 'create':
      return { kind: 'create', email: request.email ?? '', roles: request.roles ?? [] };
    case 'roles':
      return { kind: 'roles', operatorId: request.operatorId!, roles: request.roles ?? [] };
    case 'enable':
    case 'password_reset':
    case 'totp_reset':
      return { kind: request.kind, operatorId: request.operatorId! };
  }
}
