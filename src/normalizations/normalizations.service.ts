// Normalization: the owner of a reported account disputes the verified reports
// on it, online or at a service desk; while the request is open the check
// shows the dispute mark. A mediator hears both sides (questions answered on
// the tracking page, a mediation between owner and reporter) and proposes to
// grant or deny; a second operator confirms (four eyes). Granted, the disputed
// reports stop counting (kept, marked normalized) and the account shows
// normalized; denied, the reports stand. Every change is one transaction with
// its ticket history, e-mail jobs, audit entry and the account summary, which
// every process's check shows at once.
//
// This class is the feature's one door; the work is done by filing
// (normalizations.filing.service.ts), mediation (mediation.service.ts) and
// the four-eyes decision (mediation.decision.service.ts).
import type { MediationOutcome, NormalizationStatus } from '../db/schema.ts';
import type { StagedFile, StoredFile } from '../files/files.service.ts';
import type { Actor } from '../operators/operators.service.ts';
import type { Lang } from '../shared/i18n.ts';
import type { NormalizationInput } from './normalization-input.ts';
import type { NormalizationsDeps, OperatorActor } from './normalizations.case.service.ts';
import {
  NormalizationFilingService,
  type NormalizationFiles,
  type PartyView,
  type SubmittedNormalization,
} from './normalizations.filing.service.ts';
import {
  MediationService,
  type Mediation,
  type NormalizationDetail,
  type QueueQuery,
  type Question,
} from './mediation.service.ts';
import {
  MediationDecisionService,
  type Confirmation,
  type Proposal,
} from './mediation.decision.service.ts';
import type { QueueItem } from './normalizations.repository.ts';
import {
  defaultReporterAnswerDays,
  HearingService,
  type ReporterExcuse,
} from './mediation.hearing.service.ts';

export const normalizationStatuses = [
  'submitted',
  'in_review',
  'mediation',
  'proposed',
  'granted',
  'denied',
] as const satisfies readonly NormalizationStatus[];
export const mediationOutcomes = [
  'owner_upheld',
  'reporter_upheld',
  'no_agreement',
  'not_held',
] as const satisfies readonly MediationOutcome[];

export class NormalizationsService {
  readonly #d: NormalizationsDeps;
  readonly #filing: NormalizationFilingService;
  readonly #mediation: MediationService;
  readonly #decision: MediationDecisionService;
  readonly #hearing: HearingService;

  constructor(deps: NormalizationsDeps) {
    this.#d = deps;
    this.#filing = new NormalizationFilingService(deps);
    this.#mediation = new MediationService(deps);
    this.#decision = new MediationDecisionService(deps);
    this.#hearing = new HearingService(deps);
  }

  get decisionDays(): number {
    return this.#d.decisionDays;
  }

  /** REPORTER_ANSWER_DAYS: a reporter's time to answer the dispute notice. */
  get reporterAnswerDays(): number {
    return this.#d.reporterAnswerDays ?? defaultReporterAnswerDays;
  }

  /** An owner's request, online: files staged already; all or nothing. */
  submit(
    input: NormalizationInput,
    files: NormalizationFiles,
    meta: { readonly lang: Lang; readonly challenge: string | undefined },
  ): Promise<SubmittedNormalization> {
    return this.#filing.submit(input, files, meta);
  }

  /** A request taken at a service desk, entered by an operator on the owner's behalf. */
  enter(
    input: NormalizationInput,
    files: NormalizationFiles,
    actor: OperatorActor,
    lang: Lang,
  ): Promise<SubmittedNormalization> {
    return this.#filing.enter(input, files, actor, lang);
  }

  // -------------------------------------------------------------------------
  // The mediator's side

  queue(query: QueueQuery): Promise<QueueItem[]> {
    return this.#mediation.queue(query);
  }

  /**
   * The request beside the reports it disputes, with their evidence and the
   * reporters' contact, the owner's contact opened: an audited view.
   */
  detail(id: number, actor: Actor): Promise<NormalizationDetail> {
    return this.#mediation.detail(id, actor);
  }

  /** A file of this request or of a report it disputes, opened for the mediator: audited. */
  openFile(id: number, fileId: string, actor: Actor): Promise<StoredFile> {
    return this.#mediation.openFile(id, fileId, actor);
  }

  /** A mediator takes the request on. */
  claim(id: number, actor: OperatorActor): Promise<{ status: NormalizationStatus }> {
    return this.#mediation.claim(id, actor);
  }

  /** Asks the owner or a reporter for more; they answer on their ticket's answer page. */
  askInformation(
    id: number,
    actor: OperatorActor,
    question: Question,
  ): Promise<{ id: number; dueAt: Date }> {
    return this.#mediation.askInformation(id, actor, question);
  }

  /** Schedules a mediation between owner and reporters; both sides are told by e-mail. */
  scheduleMediation(
    id: number,
    actor: OperatorActor,
    mediation: Mediation,
  ): Promise<{ id: number; status: 'mediation' }> {
    return this.#mediation.scheduleMediation(id, actor, mediation);
  }

  /** What came of a mediation session; recorded once. */
  recordMediation(
    id: number,
    sessionId: number,
    actor: OperatorActor,
    outcome: { outcome: MediationOutcome; note: string | null },
  ): Promise<void> {
    return this.#mediation.recordMediation(id, sessionId, actor, outcome);
  }

  /** Tells the reporters not yet asked of the dispute, with REPORTER_ANSWER_DAYS to answer. */
  noticeReporters(
    id: number,
    actor: OperatorActor,
    note: string | null,
  ): Promise<{ sent: number; dueAt: Date }> {
    return this.#hearing.noticeReporters(id, actor, note);
  }

  /** Records why a disputed report's reporter cannot be asked (no contact, an import). */
  excuseReporter(id: number, actor: OperatorActor, excuse: ReporterExcuse): Promise<void> {
    return this.#hearing.excuseReporter(id, actor, excuse);
  }

  /** A mediator proposes to grant or deny; it takes effect when another operator confirms. */
  propose(id: number, actor: OperatorActor, proposal: Proposal): Promise<{ state: 'proposed' }> {
    return this.#decision.propose(id, actor, proposal);
  }

  /** A second operator confirms the proposal (or sends it back); see MediationDecisionService. */
  confirm(
    id: number,
    actor: OperatorActor,
    confirmation: Confirmation,
  ): Promise<{ status: NormalizationStatus }> {
    return this.#decision.confirm(id, actor, confirmation);
  }

  // -------------------------------------------------------------------------
  // The parties' side: the answer page

  /** The questions put to whoever holds this ticket and its tracking code; undefined if wrong. */
  partyView(ticketInput: string, token: string): Promise<PartyView | undefined> {
    return this.#filing.partyView(ticketInput, token);
  }

  /** Records a party's answer (text, and files already staged); all or nothing. */
  answer(
    ticketInput: string,
    token: string,
    questionId: number,
    text: string,
    attachments: readonly StagedFile[],
  ): Promise<void> {
    return this.#filing.answer(ticketInput, token, questionId, text, attachments);
  }
}

export type { NormalizationsDeps, OperatorActor } from './normalizations.case.service.ts';
export {
  maxAnswerFiles,
  type NormalizationFiles,
  type PartyView,
  type SubmittedNormalization,
} from './normalizations.filing.service.ts';
export {
  answerDays,
  type DisputedReport,
  type InformationRequestView,
  type Mediation,
  type NormalizationDetail,
  type QueueQuery,
  type Question,
  type ReporterContact,
} from './mediation.service.ts';
export type { Confirmation, Proposal } from './mediation.decision.service.ts';
export {
  isHeard,
  reporterExcuseReasons,
  type HearingState,
  type ReporterExcuse,
  type ReporterHearing,
} from './mediation.hearing.service.ts';
export type { MediationRecord } from './mediation.repository.ts';
export type { QueueItem } from './normalizations.repository.ts';
