// A report in full for its reviewer: its state and claim, the account and
// who was reported, the incident, the evidence (through the audited file
// route), the reporter (an audited view), other reports on the account, and
// the decision.
import type { FileRecord } from '../files/files.service.ts';
import { formatDate } from '../http/format.ts';
import { href, translator } from '../http/layout.tsx';
import { t } from '../shared/messages.ts';
import type { Lang } from '../shared/i18n.ts';
import type { DecisionForm } from '../backoffice/changes.ts';
import {
  ActionForm,
  activeClaim,
  CautionNotice,
  ClaimText,
  heldByOther,
  operatorName,
  type ClaimConflict,
  type StaffView,
} from '../backoffice/claims.tsx';
import { DecisionSection, RecordTop, ReasonSelect } from '../backoffice/decision.tsx';
import { TextAreaField } from '../backoffice/fields.tsx';
import { formatRupiah } from '../backoffice/format.ts';
import { fieldError, type BackOfficeContext, type FormError } from '../backoffice/layout.tsx';
import { maxNoteLength } from '../backoffice/changes.ts';
import { adminPaths, filePath, reportPath } from '../backoffice/paths.ts';
import { Fact, FlagList } from '../backoffice/queue.tsx';
import { ageText, startOfDay, Time } from '../backoffice/time.tsx';
import {
  reasonLabel,
  rejectReasons,
  verifyReasons,
  type DecisionReason,
  type ReportDetail,
  type ReportRecord,
} from './reports.service.ts';
import { openStatuses, type ReportNotice } from './review.form.ts';
import { accountView, categoryText, flagText, StatusBadge, words } from './review.views.tsx';

export interface ReportView extends StaffView {
  /** How long a claim holds a report for its reviewer. */
  readonly claimMinutes: number;
}

function incidentDateText(lang: Lang, value: string | null): string | null {
  const date = value ? startOfDay(value) : null;
  return date ? formatDate(lang, date) : value;
}

function StatusSection({ view, report }: { view: ReportView; report: ReportRecord }) {
  const { ctx, now } = view;
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="status-title">
      <h2 id="status-title">{tr('admin.review.report.state')}</h2>
      <dl class="details">
        <Fact label={tr('admin.review.status')}>
          <StatusBadge ctx={ctx} status={report.status} />
        </Fact>
        <Fact label={tr('admin.review.category')}>{categoryText(ctx.lang, report.category)}</Fact>
        <Fact label={tr('admin.review.received')}>
          <Time ctx={ctx} date={report.createdAt} />
          <span class="small">{` · ${ageText(ctx.lang, words, report.createdAt, now)}`}</span>
        </Fact>
        {report.ticket && (
          <Fact label={tr('admin.review.ticket')}>
            <code>{report.ticket}</code>
          </Fact>
        )}
        {report.flagged && (
          <Fact label={tr('admin.review.flagged')}>
            <FlagList ctx={ctx} reasons={report.flagReasons} text={flagText} />
          </Fact>
        )}
        {openStatuses.includes(report.status) && (
          <Fact label={tr('admin.review.claim')}>
            <ClaimText view={view} words={words} record={report} />
          </Fact>
        )}
        {report.decidedAt && (
          <>
            <Fact label={tr('admin.review.decidedBy')}>
              {report.decidedBy === null ? null : operatorName(view, words, report.decidedBy)}
              {', '}
              <Time ctx={ctx} date={report.decidedAt} />
            </Fact>
            <Fact label={tr('admin.review.reason')}>
              {report.decisionReason && reasonLabel(ctx.lang, report.decisionReason)}
            </Fact>
            <Fact label={tr('admin.review.note')}>
              {report.decisionNote && <span class="review-text">{report.decisionNote}</span>}
            </Fact>
          </>
        )}
      </dl>
      <ClaimForms view={view} report={report} />
    </section>
  );
}

/** Claim (or renew one's own claim) and release; nothing once decided or while another holds it. */
function ClaimForms({ view, report }: { view: ReportView; report: ReportRecord }) {
  const { ctx, now, claimMinutes } = view;
  const tr = translator(ctx);
  if (!openStatuses.includes(report.status)) return null;
  const claim = activeClaim(report, now);
  const me = ctx.session?.operator.id;
  if (claim && claim.by !== me) {
    return (
      <CautionNotice icon="clock">
        {tr('admin.review.claim.held', { operator: operatorName(view, words, claim.by) })}{' '}
        <Time ctx={ctx} date={claim.until} />
      </CautionNotice>
    );
  }
  const mine = claim !== null || (report.claimedBy === me && report.status === 'in_review');
  return (
    <div class="review-actions">
      <ActionForm
        ctx={ctx}
        action={reportPath(report.id, 'klaim')}
        label={tr(mine ? 'admin.review.claim.renew' : 'admin.review.claim.take')}
        hint={tr('admin.review.claim.hint', { minutes: claimMinutes })}
      />
      {mine && (
        <ActionForm
          ctx={ctx}
          action={reportPath(report.id, 'lepas')}
          label={tr('admin.review.claim.release')}
          hint={tr('admin.review.claim.release.hint')}
          secondary
        />
      )}
    </div>
  );
}

function AccountSection({ ctx, report }: { ctx: BackOfficeContext; report: ReportRecord }) {
  const tr = translator(ctx);
  const account = accountView(report.provider, report.number);
  return (
    <section class="card" aria-labelledby="account-title">
      <h2 id="account-title">{tr('admin.review.report.account')}</h2>
      <dl class="details">
        <Fact label={tr('admin.review.provider')}>{account.provider}</Fact>
        <Fact label={tr('admin.review.number')}>
          <span class="review-number">{account.number}</span>
        </Fact>
        <Fact label={tr('admin.review.holderName')}>{report.holderName}</Fact>
        <Fact label={tr('admin.review.source')}>
          {report.partner
            ? tr('admin.review.source.fromPartner', { name: report.partner.name })
            : tr('admin.review.source.public')}
        </Fact>
      </dl>
      {account.path && (
        <p>
          <a href={href(ctx, account.path)}>{tr('admin.review.report.publicPage')}</a>
        </p>
      )}
    </section>
  );
}

function ReportedSection({ ctx, report }: { ctx: BackOfficeContext; report: ReportRecord }) {
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="reported-title">
      <h2 id="reported-title">{tr('admin.review.report.reported')}</h2>
      <dl class="details">
        <Fact label={tr('admin.review.holderName')}>{report.holderName}</Fact>
        <Fact label={tr('admin.review.reported.phone')}>{report.reportedPhone}</Fact>
        <Fact label={tr('admin.review.reported.socials')}>{report.reportedSocials}</Fact>
        <Fact label={tr('admin.review.reported.website')}>
          {/* Text, not a link: a reviewer should not land on a fraud site by a slip of the finger. */}
          {report.reportedWebsite && <code>{report.reportedWebsite}</code>}
        </Fact>
      </dl>
    </section>
  );
}

function IncidentSection({ ctx, report }: { ctx: BackOfficeContext; report: ReportRecord }) {
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="incident-title">
      <h2 id="incident-title">{tr('admin.review.report.incident')}</h2>
      <dl class="details">
        <Fact label={tr('admin.review.incident.date')}>
          {incidentDateText(ctx.lang, report.incidentDate)}
        </Fact>
        <Fact label={tr('admin.review.incident.time')}>{report.incidentTime}</Fact>
        <Fact label={tr('admin.review.amount')}>
          {report.amount === null ? null : formatRupiah(ctx.lang, report.amount)}
        </Fact>
        <Fact label={tr('admin.review.incident.platform')}>{report.platform}</Fact>
        <Fact label={tr('admin.review.incident.location')}>{report.locationDetails}</Fact>
        <Fact label={tr('admin.review.incident.city')}>{report.city}</Fact>
      </dl>
      <h3 id="chronology-title">{tr('admin.review.incident.chronology')}</h3>
      {report.chronology ? (
        <div class="review-text review-chronology" aria-labelledby="chronology-title">
          {report.chronology}
        </div>
      ) : (
        <p>—</p>
      )}
    </section>
  );
}

function ReporterSection({ ctx, detail }: { ctx: BackOfficeContext; detail: ReportDetail }) {
  const tr = translator(ctx);
  const reporter = detail.reporter;
  return (
    <section class="card" aria-labelledby="reporter-title">
      <h2 id="reporter-title">{tr('admin.review.report.reporter')}</h2>
      {reporter ? (
        <>
          <p class="hint">{tr('admin.review.reporter.audited')}</p>
          <dl class="details">
            <Fact label={tr('admin.review.reporter.name')}>{reporter.name}</Fact>
            <Fact label={tr('admin.review.reporter.email')}>
              <a href={`mailto:${reporter.email}`}>{reporter.email}</a>
            </Fact>
            <Fact label={tr('admin.review.reporter.phone')}>
              <a href={`tel:${reporter.phone.replace(/[^\d+]/g, '')}`}>{reporter.phone}</a>
            </Fact>
          </dl>
        </>
      ) : (
        <p>{tr('admin.review.reporter.none')}</p>
      )}
    </section>
  );
}

function fileSize(lang: Lang, bytes: number): string {
  return t(lang, 'admin.review.evidence.size', {
    size: Math.max(1, Math.ceil(bytes / 1024)).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB'),
  });
}

function EvidenceItem({
  ctx,
  file,
  index,
}: {
  ctx: BackOfficeContext;
  file: FileRecord;
  index: number;
}) {
  const tr = translator(ctx);
  const label = tr('admin.review.evidence.item', { n: index + 1 });
  const name = file.originalName ? `${label}: ${file.originalName}` : label;
  if (file.mime === 'application/pdf') {
    return (
      <li class="review-evidence-file">
        <a href={filePath(file.id)}>{name}</a>
        <span class="small">{` (${tr('admin.review.evidence.pdf')}, ${fileSize(ctx.lang, file.size)})`}</span>
      </li>
    );
  }
  return (
    <li class="review-evidence-image">
      <figure>
        <a href={filePath(file.id)}>
          <img src={filePath(file.id)} alt={name} loading="lazy" />
        </a>
        <figcaption>
          {name}
          <span class="small">{` (${fileSize(ctx.lang, file.size)})`}</span>
        </figcaption>
      </figure>
    </li>
  );
}

function EvidenceSection({ ctx, files }: { ctx: BackOfficeContext; files: readonly FileRecord[] }) {
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="evidence-title">
      <h2 id="evidence-title">{tr('admin.review.report.evidence')}</h2>
      {files.length === 0 ? (
        <p>{tr('admin.review.evidence.none')}</p>
      ) : (
        <>
          <p class="hint">{tr('admin.review.evidence.audited')}</p>
          <ul class="review-evidence">
            {files.map((file, index) => (
              <EvidenceItem key={file.id} ctx={ctx} file={file} index={index} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function OtherReportsSection({ ctx, detail }: { ctx: BackOfficeContext; detail: ReportDetail }) {
  const tr = translator(ctx);
  const others = detail.otherReports;
  return (
    <section class="card" aria-labelledby="others-title">
      <h2 id="others-title">{tr('admin.review.report.others')}</h2>
      {others.length === 0 ? (
        <p>{tr('admin.review.others.none')}</p>
      ) : (
        <ul class="review-others">
          {others.map((other) => (
            <li key={other.id}>
              <a href={href(ctx, reportPath(other.id))}>
                {`#${other.id} · ${categoryText(ctx.lang, other.category)}`}
              </a>{' '}
              <StatusBadge ctx={ctx} status={other.status} />{' '}
              <span class="small">
                <Time ctx={ctx} date={other.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function reasonOptions(lang: Lang, reasons: readonly DecisionReason[]) {
  return reasons.map((reason) => ({ value: reason, text: reasonLabel(lang, reason) }));
}

function ReportDecision(props: {
  ctx: BackOfficeContext;
  report: ReportRecord;
  form: DecisionForm;
  errors: readonly FormError[];
}) {
  const { ctx, form, errors } = props;
  const tr = translator(ctx);
  const choice = (value: 'verify' | 'reject') => ({
    value,
    checked: form.decision === value,
    label: tr(`admin.review.decision.${value}`),
    hint: tr(`admin.review.decision.${value}.hint`),
  });
  return (
    <DecisionSection
      ctx={ctx}
      action={reportPath(props.report.id, 'keputusan')}
      title={tr('admin.review.report.decision')}
      legend={tr('admin.review.decision.legend')}
      error={fieldError(errors, 'decision')}
      choices={[choice('verify'), choice('reject')]}
      submit={tr('admin.review.decision.submit')}
    >
      <ReasonSelect
        id="reason"
        label={tr('admin.review.reason')}
        hint={tr('admin.review.reason.hint')}
        choose={tr('admin.review.reason.choose')}
        value={form.reason}
        error={fieldError(errors, 'reason')}
        groups={[
          {
            label: tr('admin.review.reason.verify'),
            reasons: reasonOptions(ctx.lang, verifyReasons),
          },
          {
            label: tr('admin.review.reason.reject'),
            reasons: reasonOptions(ctx.lang, rejectReasons),
          },
        ]}
      />
      <TextAreaField
        id="note"
        label={tr('admin.review.note.label')}
        hint={tr('admin.review.note.hint')}
        rows={4}
        maxLength={maxNoteLength}
        value={form.note}
        error={fieldError(errors, 'note')}
      />
    </DecisionSection>
  );
}

export interface ReportPageProps {
  readonly view: ReportView;
  readonly detail: ReportDetail;
  readonly info: ReportNotice | null;
  readonly conflict: ClaimConflict | null;
  readonly errors: readonly FormError[];
  readonly form: DecisionForm;
}

export function ReportPage({ view, detail, info, conflict, errors, form }: ReportPageProps) {
  const { ctx } = view;
  const tr = translator(ctx);
  const report = detail.report;
  const open = openStatuses.includes(report.status);
  return (
    <div class="review-report">
      <RecordTop
        ctx={ctx}
        back={{ path: adminPaths.reports, text: tr('admin.review.back') }}
        title={tr('admin.review.report.title', { id: report.id })}
        notice={info && tr(`admin.review.info.${info}`)}
        conflict={conflict && { code: conflict, text: tr(`admin.review.conflict.${conflict}`) }}
        errors={errors}
      />
      <StatusSection view={view} report={report} />
      <div class="columns">
        <AccountSection ctx={ctx} report={report} />
        <ReportedSection ctx={ctx} report={report} />
      </div>
      <IncidentSection ctx={ctx} report={report} />
      <EvidenceSection ctx={ctx} files={detail.files} />
      <div class="columns">
        <ReporterSection ctx={ctx} detail={detail} />
        <OtherReportsSection ctx={ctx} detail={detail} />
      </div>
      {open && !heldByOther(view, report) && (
        <ReportDecision ctx={ctx} report={report} form={form} errors={errors} />
      )}
    </div>
  );
}
