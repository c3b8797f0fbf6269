// Hearing the reporters before a grant: for each disputed verified report,
// whether its reporter was told (when, and by when to answer), answered
// (when), or why they cannot be asked; the form that tells them all at once,
// and the one that records a reason for one report.
import { translator } from '../http/layout.tsx';
import { operatorLabel } from '../backoffice/claims.tsx';
import { Choice } from '../backoffice/fields.tsx';
import { Time } from '../backoffice/time.tsx';
import { isHeard, reporterExcuseReasons, type ReporterHearing } from './normalizations.service.ts';
import { casePath } from './mediation.form.ts';
import { ActionForm, TextArea, type CaseSectionProps } from './mediation.views.tsx';

function reportLabel(hearing: ReporterHearing): string {
  return hearing.ticket ?? `#${hearing.reportId}`;
}

function HearingItem(props: CaseSectionProps & { hearing: ReporterHearing }) {
  const { ctx, detail, hearing } = props;
  const tr = translator(ctx);
  const { notice, excuse } = hearing;
  return (
    <li class={isHeard(hearing) ? 'record' : 'record nz-overdue'}>
      <h3 class="record-heading">
        {`${tr('mediation.hearing.report')} ${reportLabel(hearing)}`}
        {!hearing.contactable && ` (${tr('mediation.hearing.noContact')})`}
      </h3>
      <dl class="details">
        <dt>{tr('mediation.hearing.state')}</dt>
        <dd>
          <strong>{tr(`mediation.hearing.state.${hearing.state}`)}</strong>
        </dd>
        {notice && (
          <>
            <dt>{tr('mediation.hearing.asked')}</dt>
            <dd>
              <Time ctx={ctx} date={notice.askedAt} />
              {` — ${operatorLabel(detail.operators, notice.askedBy)}`}
            </dd>
            <dt>{tr('mediation.hearing.due')}</dt>
            <dd>
              <Time ctx={ctx} date={notice.dueAt} />
            </dd>
            <dt>{tr('mediation.hearing.answered')}</dt>
            <dd>{notice.answeredAt ? <Time ctx={ctx} date={notice.answeredAt} /> : '—'}</dd>
          </>
        )}
        {excuse && (
          <>
            <dt>{tr('mediation.excuse.reason')}</dt>
            <dd>
              {tr(`mediation.excuse.reason.${excuse.reason}`)}
              {excuse.note && <span class="review-text">{` — ${excuse.note}`}</span>}
              {' ('}
              {operatorLabel(detail.operators, excuse.recordedBy)}
              {', '}
              <Time ctx={ctx} date={excuse.recordedAt} />
              {')'}
            </dd>
          </>
        )}
      </dl>
    </li>
  );
}

function NoticeForm(props: CaseSectionProps) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const values = props.typed?.form === 'notice' ? props.typed.values : {};
  return (
    <ActionForm
      ctx={ctx}
      action={casePath(detail.request.id, 'pemberitahuan')}
      title={tr('mediation.notice.form')}
      titleId="notice-form-title"
      submit={tr('mediation.notice.submit')}
    >
      <p class="hint">{tr('mediation.notice.lead')}</p>
      <TextArea
        id="notice-note"
        name="note"
        label={tr('mediation.notice.note')}
        value={values.note ?? ''}
        errors={props.errors}
      />
    </ActionForm>
  );
}

function ExcuseForm(props: CaseSectionProps & { open: readonly ReporterHearing[] }) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const values = props.typed?.form === 'excuse' ? props.typed.values : {};
  return (
    <ActionForm
      ctx={ctx}
      action={casePath(detail.request.id, 'alasan-pelapor')}
      title={tr('mediation.excuse.form')}
      titleId="excuse-form-title"
      submit={tr('mediation.excuse.submit')}
    >
      <div class="field">
        <label for="excuse-report">{tr('mediation.excuse.report')}</label>
        <select id="excuse-report" name="report">
          {props.open.map((h) => (
            <option
              key={h.reportId}
              value={String(h.reportId)}
              selected={values.report === String(h.reportId)}
            >
              {reportLabel(h)}
            </option>
          ))}
        </select>
      </div>
      <fieldset class="choices-list">
        <legend>{tr('mediation.excuse.reason')}</legend>
        {reporterExcuseReasons.map((reason) => (
          <Choice
            key={reason}
            id={`excuse-${reason}`}
            name="excuse"
            value={reason}
            checked={values.excuse === reason}
            required
            label={tr(`mediation.excuse.reason.${reason}`)}
          />
        ))}
      </fieldset>
      <TextArea
        id="excuse-note"
        name="note"
        label={tr('mediation.excuse.note')}
        value={values.note ?? ''}
        errors={props.errors}
      />
    </ActionForm>
  );
}

export function HearingSection(props: CaseSectionProps & { workable: boolean; days: number }) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const hearings = detail.hearings;
  const heard = hearings.every(isHeard);
  const toTell = hearings.some((h) => h.state === 'not_asked' && h.contactable);
  const open = hearings.filter((h) => !h.excuse && !isHeard(h));
  return (
    <section class="card" aria-labelledby="hearing-title" id="pelapor">
      <h2 id="hearing-title">{tr('mediation.hearing.title')}</h2>
      <p class="hint">{tr('mediation.hearing.lead', { days: props.days })}</p>
      {hearings.length === 0 ? (
        <p>{tr('mediation.hearing.none')}</p>
      ) : (
        <ol class="records">
          {hearings.map((h) => (
            <HearingItem key={h.reportId} {...props} hearing={h} />
          ))}
        </ol>
      )}
      {hearings.length > 0 && (
        <p>
          <strong>{tr(heard ? 'mediation.hearing.ready' : 'mediation.hearing.notReady')}</strong>
        </p>
      )}
      {props.workable && toTell && <NoticeForm {...props} />}
      {props.workable && open.length > 0 && <ExcuseForm {...props} open={open} />}
    </section>
  );
}
