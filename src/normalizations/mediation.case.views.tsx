// A normalization request for its mediator: its deadline, the request beside
// the reports it disputes (their evidence and the reporters' contact: an
// audited view), the questions to either side, and the way it is decided.
import { categoryName, isCategoryCode } from '../shared/categories.ts';
import { formatDate } from '../http/format.ts';
import { WarningIcon } from '../http/icons.tsx';
import { translator } from '../http/layout.tsx';
import { tCount } from '../shared/messages.ts';
import { operatorLabel, PostButton } from '../backoffice/claims.tsx';
import { rupiahOptions } from '../backoffice/format.ts';
import {
  ErrorSummary,
  Notice,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { Breadcrumb } from '../backoffice/queue.tsx';
import { Day, Time } from '../backoffice/time.tsx';
import type { Lang } from '../shared/i18n.ts';
import type {
  DisputedReport,
  InformationRequestView,
  NormalizationDetail,
} from './normalizations.service.ts';
import { casePath, mediationPaths, type CaseInfo, type Typed } from './mediation.form.ts';
import { DecisionSection, MediationSection } from './mediation.decision.views.tsx';
import { HearingSection } from './mediation.hearing.views.tsx';
import {
  accountText,
  ActionForm,
  Files,
  operatorOrDash,
  StatusBadges,
  TextArea,
  type CaseSectionProps,
} from './mediation.views.tsx';

// Unlike the review pages, English shows the ISO code ("IDR 1,500,000") here.
const rupiah: Record<Lang, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID', rupiahOptions),
  en: new Intl.NumberFormat('en-GB', rupiahOptions),
};

function RequestCard({ ctx, detail }: { ctx: BackOfficeContext; detail: NormalizationDetail }) {
  const tr = translator(ctx);
  const r = detail.request;
  return (
    <section class="card nz-side" aria-labelledby="request-title">
      <h2 id="request-title">{tr('mediation.request.title')}</h2>
      <dl class="details">
        <dt>{tr('mediation.request.holder')}</dt>
        <dd>{r.holderName ?? '—'}</dd>
        <dt>{tr('mediation.request.nik')}</dt>
        <dd>
          <code>{detail.nik ?? '—'}</code>
        </dd>
        <dt>{tr('mediation.request.phone')}</dt>
        <dd>{detail.contact?.phone ?? '—'}</dd>
        <dt>{tr('mediation.request.email')}</dt>
        <dd>{detail.contact?.email ?? '—'}</dd>
        <dt>{tr('mediation.request.channel')}</dt>
        <dd>
          {tr(`mediation.channel.${r.channel}`)}
          {r.enteredBy !== null && ` (${operatorOrDash(detail, r.enteredBy)})`}
        </dd>
        <dt>{tr('mediation.request.handledBy')}</dt>
        <dd>{operatorOrDash(detail, r.handledBy)}</dd>
      </dl>
      <h3>{tr('mediation.request.statement')}</h3>
      <p class="review-text review-chronology">{r.statement ?? '—'}</p>
      <h3>{tr('mediation.request.documents')}</h3>
      <Files ctx={ctx} caseId={r.id} files={detail.files} />
    </section>
  );
}

function ReportCard(props: { ctx: BackOfficeContext; caseId: number; disputed: DisputedReport }) {
  const { ctx, disputed } = props;
  const tr = translator(ctx);
  const report = disputed.report;
  const category = isCategoryCode(report.category)
    ? categoryName(report.category, ctx.lang)
    : report.category;
  return (
    <li class="record" id={`report-${report.id}`}>
      <h3 class="record-heading">
        {tr('mediation.report.title', { id: report.id, ticket: report.ticket ?? '—' })}
      </h3>
      <ul class="badges">
        <li class={report.status === 'normalized' ? 'badge badge-off' : 'badge badge-warn'}>
          {tr(
            `mediation.report.status.${report.status === 'normalized' ? 'normalized' : 'counted'}`,
          )}
        </li>
        {report.source !== 'public' && <li class="badge badge-off">{report.source}</li>}
      </ul>
      <dl class="details">
        <dt>{tr('mediation.report.category')}</dt>
        <dd>{category}</dd>
        <dt>{tr('mediation.report.filed')}</dt>
        <dd>
          <Day ctx={ctx} date={report.createdAt} />
        </dd>
        {report.holderName && (
          <>
            <dt>{tr('mediation.report.holder')}</dt>
            <dd>{report.holderName}</dd>
          </>
        )}
        {report.amount !== null && (
          <>
            <dt>{tr('mediation.report.amount')}</dt>
            <dd>{rupiah[ctx.lang].format(report.amount)}</dd>
          </>
        )}
        {report.platform && (
          <>
            <dt>{tr('mediation.report.platform')}</dt>
            <dd>{report.platform}</dd>
          </>
        )}
        <dt>{tr('mediation.report.reporter')}</dt>
        <dd>
          {disputed.reporter
            ? `${disputed.reporter.name} · ${disputed.reporter.email} · ${disputed.reporter.phone}`
            : tr('mediation.report.noReporter')}
        </dd>
      </dl>
      {report.chronology && (
        <>
          <h4>{tr('mediation.report.chronology')}</h4>
          <p class="review-text review-chronology">{report.chronology}</p>
        </>
      )}
      <h4>{tr('mediation.report.evidence')}</h4>
      <Files ctx={ctx} caseId={props.caseId} files={disputed.files} />
    </li>
  );
}

function QuestionsSection(props: CaseSectionProps & { workable: boolean }) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const id = detail.request.id;
  const values = props.typed?.form === 'question' ? props.typed.values : {};
  const reporters = detail.reports.filter((r) => r.reporter && r.report.ticket);
  const target = (q: InformationRequestView) =>
    q.party === 'owner'
      ? tr('mediation.question.toOwner')
      : tr('mediation.question.toReporter', { id: q.reportId ?? '—' });
  return (
    <section class="card" aria-labelledby="questions-title" id="pertanyaan">
      <h2 id="questions-title">{tr('mediation.questions.title')}</h2>
      {detail.questions.length === 0 ? (
        <p>{tr('mediation.questions.none')}</p>
      ) : (
        <ol class="records">
          {detail.questions.map((q) => (
            <li key={q.id} class={q.overdue ? 'record nz-overdue' : 'record'}>
              <h3 class="record-heading">{target(q)}</h3>
              <p class="small">
                {tr('mediation.question.asked', {
                  by: operatorLabel(detail.operators, q.askedBy),
                })}{' '}
                <Time ctx={ctx} date={q.askedAt} />
              </p>
              <p class="review-text nz-quote">{q.question}</p>
              {q.answeredAt ? (
                <>
                  <p>
                    <strong>{tr('mediation.question.answered')}</strong>{' '}
                    <Time ctx={ctx} date={q.answeredAt} />
                  </p>
                  <p class="review-text">{q.answer}</p>
                  {q.files.length > 0 && <Files ctx={ctx} caseId={id} files={q.files} />}
                </>
              ) : (
                <p class={q.overdue ? 'nz-late' : undefined}>
                  {q.overdue && <WarningIcon />}
                  {tr('mediation.question.due', { date: formatDate(ctx.lang, q.dueAt) })}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {props.workable && (
        <ActionForm
          ctx={ctx}
          action={casePath(id, 'pertanyaan')}
          title={tr('mediation.question.form')}
          titleId="question-form-title"
          submit={tr('mediation.question.submit')}
        >
          <div class="field">
            <label for="party">{tr('mediation.question.party')}</label>
            <select id="party" name="party">
              <option value="owner" selected={values.party === 'owner'}>
                {tr('mediation.question.toOwner')}
              </option>
              {reporters.map((r) => (
                <option
                  key={r.report.id}
                  value={`report:${r.report.id}`}
                  selected={values.party === `report:${r.report.id}`}
                >
                  {tr('mediation.question.toReporter', { id: r.report.id })}
                </option>
              ))}
            </select>
          </div>
          <TextArea
            id="question"
            name="question"
            label={tr('mediation.question.text')}
            hint={tr('mediation.question.hint')}
            value={values.question ?? ''}
            errors={props.errors}
            required
          />
        </ActionForm>
      )}
    </section>
  );
}

export function CasePage(props: {
  ctx: BackOfficeContext;
  detail: NormalizationDetail;
  info: CaseInfo | null;
  errors: readonly FormError[];
  typed: Typed | null;
  /** REPORTER_ANSWER_DAYS. */
  answerDays: number;
}) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const r = detail.request;
  const workable = r.status === 'submitted' || r.status === 'in_review' || r.status === 'mediation';
  const pending = workable || r.status === 'proposed';
  return (
    <>
      <Breadcrumb ctx={ctx} path={mediationPaths.queue} text={tr('mediation.queue.title')} />
      <h1>{tr('mediation.case.title', { ticket: r.ticket ?? `#${r.id}` })}</h1>
      <p class="lead">{accountText(r.provider, r.number)}</p>
      {props.info && <Notice>{tr(`mediation.info.${props.info}`)}</Notice>}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <section
        class={detail.overdue ? 'card nz-deadline nz-overdue' : 'card nz-deadline'}
        aria-labelledby="deadline-title"
      >
        <h2 id="deadline-title">{tr('mediation.deadline.title')}</h2>
        <StatusBadges ctx={ctx} status={r.status} overdue={detail.overdue} channel={r.channel} />
        <dl class="details">
          <dt>{tr('mediation.filed')}</dt>
          <dd>
            <Time ctx={ctx} date={r.createdAt} />
          </dd>
          <dt>{tr('mediation.due')}</dt>
          <dd class={detail.overdue ? 'nz-late' : undefined}>
            {detail.overdue && <WarningIcon />}
            <Day ctx={ctx} date={detail.dueAt} />
            {detail.overdue && ` — ${tr('mediation.overdue')}`}
          </dd>
        </dl>
        {r.status === 'submitted' && (
          <PostButton ctx={ctx} action={casePath(r.id, 'ambil')} label={tr('mediation.claim')} />
        )}
      </section>
      <div class="columns nz-columns">
        <RequestCard ctx={ctx} detail={detail} />
        <section class="card nz-side" aria-labelledby="reports-title">
          <h2 id="reports-title">
            {tCount(ctx.lang, 'mediation.reports.title', detail.reports.length)}
          </h2>
          <p class="hint">{tr('mediation.reports.lead')}</p>
          <ol class="records">
            {detail.reports.map((d) => (
              <ReportCard key={d.report.id} ctx={ctx} caseId={r.id} disputed={d} />
            ))}
          </ol>
        </section>
      </div>
      <HearingSection
        ctx={ctx}
        detail={detail}
        typed={props.typed}
        errors={props.errors}
        workable={workable}
        days={props.answerDays}
      />
      <QuestionsSection
        ctx={ctx}
        detail={detail}
        typed={props.typed}
        errors={props.errors}
        workable={pending}
      />
      <MediationSection
        ctx={ctx}
        detail={detail}
        typed={props.typed}
        errors={props.errors}
        workable={workable}
      />
      <DecisionSection ctx={ctx} detail={detail} typed={props.typed} errors={props.errors} />
    </>
  );
}
