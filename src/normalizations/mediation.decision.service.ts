// The four-eyes decision on a request for normalization: a mediator proposes
// to grant or deny, and a second operator, independent of the first
// (operators/four-eyes.ts), confirms it or sends it back. Granted, the
// disputed reports stop counting and their reporters are told; either way
// the owner is told, and the account's summary changes in the same transaction.
// A grant waits until the reporters were heard (mediation.hearing.service.ts);
// a denial never does. The decision mails say what it means in plain words.
import { refreshSummaries } from '../accounts/accounts.service.ts';
import { enqueueAccountEvents } from '../watches/watches.service.ts';
import type { Executor } from '../db/database.ts';
import type { NormalizationStatus } from '../db/schema.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { readReport, reporterOf } from '../reports/reports.service.ts';
import { AppError } from '../shared/errors.ts';
import { sealOptionalPersonal } from '../shared/personal-data.ts';
import { recordTicketEvent, ticketOf } from '../tickets/tickets.service.ts';
import {
  accountLabel,
  fieldError,
  isLangValue,
  openRequest,
  ownerContactOf,
  workable,
  type NormalizationsDeps,
  type OperatorActor,
} from './normalizations.case.service.ts';
import {
  disputedReportIds,
  findNormalization,
  markReportsNormalized,
  updateNormalization,
  type NormalizationRecord,
  type ProposedDecision,
} from './normalizations.repository.ts';
import { countMediations } from './mediation.repository.ts';
import { loadHearings, requireReportersHeard } from './mediation.hearing.service.ts';
import { renderDecisionMail } from './normalizations.mail.ts';

export interface Proposal {
  readonly decision: ProposedDecision;
  readonly reason: string;
}

export interface Confirmation {
  readonly confirm: boolean;
  readonly reason: string | null;
}

export class MediationDecisionService {
  readonly #d: NormalizationsDeps;

  constructor(deps: NormalizationsDeps) {
    this.#d = deps;
  }

  /** A mediator proposes to grant or deny; it takes effect when another operator confirms. */
  async propose(
    id: number,
    actor: OperatorActor,
    proposal: Proposal,
  ): Promise<{ state: 'proposed' }> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    return database.db.transaction().execute(async (trx) => {
      const request = await openRequest(trx, database, id);
      if (request.status === 'proposed')
        throw fieldError('decision', 'normalization.proposal.pending');
      if (proposal.decision === 'grant') {
        requireReportersHeard(await loadHearings(trx, this.#d.box, id, now));
      }
      const proposed = await updateNormalization(
        trx,
        id,
        {
          status: 'proposed',
          handled_by: request.handledBy ?? actor.id,
          proposed_decision: proposal.decision,
          proposed_by: actor.id,
          proposed_at: now,
          proposal_reason: proposal.reason,
          updated_at: now,
        },
        workable,
      );
      if (!proposed) throw new AppError('already_decided');
      if (request.ticket) await recordTicketEvent(trx, request.ticket, 'proposed', now, null);
      await audit.record(trx, {
        actor,
        action: 'normalization.proposed',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        details: { decision: proposal.decision, reason: proposal.reason },
      });
      return { state: 'proposed' as const };
    });
  }

  /**
   * A second operator confirms the proposal (or sends it back). Only another
   * person may (four-eyes.ts): not the proposer, nor an operator who changed
   * the proposer's account or whose account the proposer changed within
   * FOUR_EYES_INDEPENDENCE_DAYS. A refusal is four_eyes, audited.
   */
  async confirm(
    id: number,
    actor: OperatorActor,
    confirmation: Confirmation,
  ): Promise<{ status: NormalizationStatus }> {
    const { database, audit, clock, fourEyes } = this.#d;
    const before = await findNormalization(database.db, id);
    if (!before) throw new AppError('not_found');
    const verdict =
      before.status === 'proposed' && before.proposedBy !== null
        ? await fourEyes.verdict(database.db, before.proposedBy, actor.id)
        : null;
    if (verdict && !verdict.independent) {
      await audit.recordAlone({
        actor,
        action: 'access.denied',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        outcome: 'denied',
        details: { ...fourEyes.details(verdict), decision: before.proposedDecision },
      });
      throw fourEyes.refusal(verdict);
    }
    if (!confirmation.confirm && !confirmation.reason) {
      throw fieldError('reason', 'normalization.confirmation.reason');
    }
    const now = clock.now();
    const outcome = await database.db.transaction().execute(async (trx) => {
      const request = await openRequest(trx, database, id);
      if (request.status !== 'proposed' || !request.proposedDecision) {
        throw fieldError('confirm', 'normalization.proposal.none');
      }
      // Proposed again, or linked, since the check above: refused all the same.
      const latest = await fourEyes.verdict(trx, request.proposedBy ?? actor.id, actor.id);
      if (!latest.independent) throw fourEyes.refusal(latest);
      if (confirmation.confirm && request.proposedDecision === 'grant') {
        requireReportersHeard(await loadHearings(trx, this.#d.box, id, now));
      }
      if (!confirmation.confirm) return this.#sendBack(trx, request, actor, confirmation, now);
      return this.#decide(trx, request, actor, confirmation, now);
    });
    this.#d.checks.changed(outcome.keys);
    this.#d.wakeJobs();
    return { status: outcome.status };
  }

  async #sendBack(
    trx: Executor,
    request: NormalizationRecord,
    actor: OperatorActor,
    confirmation: Confirmation,
    now: Date,
  ): Promise<{ status: NormalizationStatus; keys: string[] }> {
    const status: NormalizationStatus =
      (await countMediations(trx, request.id)) > 0 ? 'mediation' : 'in_review';
    await updateNormalization(trx, request.id, {
      status,
      proposed_decision: null,
      proposed_by: null,
      proposed_at: null,
      proposal_reason: null,
      updated_at: now,
    });
    if (request.ticket) await recordTicketEvent(trx, request.ticket, status, now, null);
    await this.#d.audit.record(trx, {
      actor,
      action: 'normalization.proposal_rejected',
      subject: { type: 'normalization', id: String(request.id) },
      ip: actor.ip,
      details: {
        decision: request.proposedDecision,
        proposedBy: request.proposedBy,
        reason: confirmation.reason,
      },
    });
    return { status, keys: [] };
  }

  async #decide(
    trx: Executor,
    request: NormalizationRecord,
    actor: OperatorActor,
    confirmation: Confirmation,
    now: Date,
  ): Promise<{ status: NormalizationStatus; keys: string[] }> {
    const { database, box } = this.#d;
    const granted = request.proposedDecision === 'grant';
    const status: NormalizationStatus = granted ? 'granted' : 'denied';
    const reason = request.proposalReason ?? '';
    const decided = await updateNormalization(
      trx,
      request.id,
      {
        status,
        confirmed_by: actor.id,
        decided_at: now,
        decision_reason: reason,
        updated_at: now,
      },
      ['proposed'],
    );
    if (!decided) throw new AppError('already_decided');
    const reportIds = await disputedReportIds(trx, request.id);
    const normalized = granted ? await markReportsNormalized(trx, reportIds, now) : 0;
    const keys = await refreshSummaries(trx, database.dialect, [request.accountId], now);
    // Denied, the reports stand: the dispute is closed.
    const event = granted ? 'account.normalized' : 'account.dispute_closed';
    await enqueueAccountEvents(trx, database.dialect, event, [request.accountId], now);
    const context = { publicBaseUrl: this.#d.publicBaseUrl };
    const account = accountLabel(request.provider, request.number);
    const outcome: 'granted' | 'denied' = granted ? 'granted' : 'denied';
    const sealedReason = sealOptionalPersonal(box, reason || null);
    if (request.ticket) {
      await recordTicketEvent(trx, request.ticket, status, now, sealedReason);
      const contact = ownerContactOf(box, request);
      if (contact) {
        const mail = { ticket: request.ticket, party: 'owner' as const, outcome, account, reason };
        await enqueueMail(
          trx,
          { to: contact.email, ...renderDecisionMail(mail, isLangValue(request.lang), context) },
          now,
          box,
        );
      }
    }
    // The reporters of the disputed reports are told either way: granted, their
    // report no longer counts; denied, it stands.
    for (const reportId of reportIds) {
      const ticket = await ticketOf(trx, 'report', reportId);
      if (!ticket) continue;
      await recordTicketEvent(
        trx,
        ticket.ticket,
        granted ? 'normalized' : 'dispute_denied',
        now,
        sealedReason,
      );
      const report = await readReport(trx, reportId);
      const reporter = report && reporterOf(box, report);
      if (!reporter) continue;
      const mail = { ticket: ticket.ticket, party: 'reporter' as const, outcome, account, reason };
      await enqueueMail(
        trx,
        { to: reporter.email, ...renderDecisionMail(mail, ticket.lang, context) },
        now,
        box,
      );
    }
    await this.#d.audit.record(trx, {
      actor,
      action: granted ? 'normalization.granted' : 'normalization.denied',
      subject: { type: 'normalization', id: String(request.id) },
      ip: actor.ip,
      details: {
        account: request.accountKey,
        proposedBy: request.proposedBy,
        reason,
        confirmation: confirmation.reason,
        reportsNormalized: normalized,
      },
    });
    return { status, keys };
  }
}
