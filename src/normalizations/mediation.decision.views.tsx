// The way a request is decided: mediation sessions (scheduled, then their
// outcome recorded), and the decision proposed by one operator and
// confirmed or sent back by a second.
import { formatDateTime } from '../http/format.ts';
import { translator } from '../http/layout.tsx';
import { operatorLabel } from '../backoffice/claims.tsx';
import { Choice } from '../backoffice/fields.tsx';
import { Notice } from '../backoffice/layout.tsx';
import { Time } from '../backoffice/time.tsx';
import { mediationOutcomes, type MediationRecord } from './normalizations.service.ts';
import { casePath } from './mediation.form.ts';
import {
  ActionForm,
  Input,
  operatorOrDash,
  TextArea,
  type CaseSectionProps,
} from './mediation.views.tsx';

function MediationItem(props: CaseSectionProps & { session: MediationRecord; workable: boolean }) {
  const { ctx, detail, session } = props;
  const tr = translator(ctx);
  const values =
    props.typed?.form === 'outcome' && props.typed.values.session === String(session.id)
      ? props.typed.values
      : {};
  const outcomeId = `outcome-${session.id}`;
  return (
    <li class="record">
      <h3 class="record-heading">
        <Time ctx={ctx} date={session.scheduledAt} />
      </h3>
      <dl class="details">
        {session.place && (
          <>
            <dt>{tr('mediation.session.place')}</dt>
            <dd>{session.place}</dd>
          </>
        )}
        {session.videoLink && (
          <>
            <dt>{tr('mediation.session.link')}</dt>
            <dd>
              <a href={session.videoLink} rel="noreferrer noopener">
                {session.videoLink}
              </a>
            </dd>
          </>
        )}
        {session.note && (
          <>
            <dt>{tr('mediation.session.note')}</dt>
            <dd class="review-text">{session.note}</dd>
          </>
        )}
        <dt>{tr('mediation.session.scheduledBy')}</dt>
        <dd>{operatorLabel(detail.operators, session.scheduledBy)}</dd>
        {session.outcome && (
          <>
            <dt>{tr('mediation.session.outcome')}</dt>
            <dd>
              {tr(`mediation.outcome.${session.outcome}`)}
              {session.outcomeNote && (
                <span class="review-text">{` — ${session.outcomeNote}`}</span>
              )}
            </dd>
          </>
        )}
      </dl>
      {!session.outcome && props.workable && (
        <ActionForm
          ctx={ctx}
          action={casePath(detail.request.id, 'mediasi/hasil')}
          title={tr('mediation.outcome.form')}
          titleId={`${outcomeId}-title`}
          submit={tr('mediation.outcome.submit')}
        >
          <input type="hidden" name="session" value={String(session.id)} />
          <fieldset class="choices-list">
            <legend>{tr('mediation.session.outcome')}</legend>
            {mediationOutcomes.map((o) => (
              <Choice
                key={o}
                id={`${outcomeId}-${o}`}
                name="outcome"
                value={o}
                checked={values.outcome === o}
                required
                label={tr(`mediation.outcome.${o}`)}
              />
            ))}
          </fieldset>
          <TextArea
            id={`${outcomeId}-note`}
            name="note"
            label={tr('mediation.outcome.note')}
            value={values.note ?? ''}
            errors={props.errors}
          />
        </ActionForm>
      )}
    </li>
  );
}

export function MediationSection(props: CaseSectionProps & { workable: boolean }) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const values = props.typed?.form === 'mediation' ? props.typed.values : {};
  const canSchedule = props.workable && detail.request.status !== 'proposed';
  return (
    <section class="card" aria-labelledby="mediation-title" id="mediasi">
      <h2 id="mediation-title">{tr('mediation.sessions.title')}</h2>
      {detail.mediations.length === 0 ? (
        <p>{tr('mediation.sessions.none')}</p>
      ) : (
        <ol class="records">
          {detail.mediations.map((session) => (
            <MediationItem
              key={session.id}
              ctx={ctx}
              detail={detail}
              session={session}
              typed={props.typed}
              errors={props.errors}
              workable={props.workable}
            />
          ))}
        </ol>
      )}
      {canSchedule && (
        <ActionForm
          ctx={ctx}
          action={casePath(detail.request.id, 'mediasi')}
          title={tr('mediation.schedule.form')}
          titleId="schedule-form-title"
          submit={tr('mediation.schedule.submit')}
        >
          <p class="hint">{tr('mediation.schedule.lead')}</p>
          <Input
            id="scheduledAt"
            name="scheduledAt"
            type="datetime-local"
            label={tr('mediation.schedule.at')}
            hint={tr('mediation.schedule.at.hint')}
            value={values.scheduledAt ?? ''}
            errors={props.errors}
            required
          />
          <Input
            id="place"
            name="place"
            label={tr('mediation.schedule.place')}
            hint={tr('mediation.schedule.place.hint')}
            value={values.place ?? ''}
            errors={props.errors}
          />
          <Input
            id="videoLink"
            name="videoLink"
            type="url"
            label={tr('mediation.schedule.link')}
            hint={tr('mediation.schedule.link.hint')}
            value={values.videoLink ?? ''}
            errors={props.errors}
          />
          <TextArea
            id="note"
            name="note"
            label={tr('mediation.schedule.note')}
            hint={tr('mediation.schedule.note.hint')}
            value={values.note ?? ''}
            errors={props.errors}
          />
        </ActionForm>
      )}
    </section>
  );
}

/** Confirm or send back another operator's proposal; never one's own, nor a linked colleague's. */
function Confirmation(props: CaseSectionProps) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const r = detail.request;
  const values = props.typed?.form === 'confirmation' ? props.typed.values : {};
  if (r.proposedBy === ctx.session?.operator.id) {
    return <Notice>{tr('mediation.confirm.own')}</Notice>;
  }
  if (detail.mayConfirm && !detail.mayConfirm.independent) {
    return (
      <Notice>
        {tr('mediation.confirm.linked', {
          until:
            detail.mayConfirm.reason === 'linked'
              ? formatDateTime(ctx.lang, detail.mayConfirm.until)
              : '',
        })}
      </Notice>
    );
  }
  return (
    <ActionForm
      ctx={ctx}
      action={casePath(r.id, 'konfirmasi')}
      title={tr('mediation.confirm.form')}
      titleId="confirm-form-title"
      submit={tr('mediation.confirm.submit')}
    >
      <fieldset class="choices-list">
        <legend>{tr('mediation.confirm.choice')}</legend>
        {(['yes', 'no'] as const).map((choice) => (
          <Choice
            key={choice}
            id={`confirm-${choice}`}
            name="confirm"
            value={choice}
            checked={values.confirm === choice}
            required
            label={tr(
              choice === 'yes'
                ? `mediation.confirm.yes.${r.proposedDecision ?? 'grant'}`
                : 'mediation.confirm.no',
            )}
          />
        ))}
      </fieldset>
      <TextArea
        id="confirm-reason"
        name="reason"
        label={tr('mediation.confirm.reason')}
        hint={tr('mediation.confirm.reason.hint')}
        value={values.reason ?? ''}
        errors={props.errors}
      />
    </ActionForm>
  );
}

function Proposal(props: CaseSectionProps) {
  const { ctx } = props;
  const tr = translator(ctx);
  const values = props.typed?.form === 'proposal' ? props.typed.values : {};
  return (
    <ActionForm
      ctx={ctx}
      action={casePath(props.detail.request.id, 'usulan')}
      title={tr('mediation.propose.form')}
      titleId="propose-form-title"
      submit={tr('mediation.propose.submit')}
    >
      <fieldset class="choices-list">
        <legend>{tr('mediation.propose.choice')}</legend>
        {(['grant', 'deny'] as const).map((decision) => (
          <Choice
            key={decision}
            id={`decision-${decision}`}
            name="decision"
            value={decision}
            checked={values.decision === decision}
            required
            label={tr(`mediation.proposal.${decision}`)}
            hint={tr(`mediation.proposal.${decision}.hint`)}
          />
        ))}
      </fieldset>
      <TextArea
        id="reason"
        name="reason"
        label={tr('mediation.propose.reason')}
        hint={tr('mediation.propose.reason.hint')}
        value={values.reason ?? ''}
        errors={props.errors}
        required
      />
    </ActionForm>
  );
}

export function DecisionSection(props: CaseSectionProps) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const r = detail.request;
  return (
    <section class="card" aria-labelledby="decision-title" id="keputusan">
      <h2 id="decision-title">{tr('mediation.decision.title')}</h2>
      <p class="hint">{tr('mediation.decision.fourEyes')}</p>
      {(r.status === 'granted' || r.status === 'denied') && (
        <dl class="details">
          <dt>{tr('mediation.decision.outcome')}</dt>
          <dd>
            <strong>{tr(`mediation.status.${r.status}`)}</strong>
          </dd>
          <dt>{tr('mediation.decision.reason')}</dt>
          <dd class="review-text">{r.decisionReason ?? '—'}</dd>
          <dt>{tr('mediation.decision.proposedBy')}</dt>
          <dd>{operatorOrDash(detail, r.proposedBy)}</dd>
          <dt>{tr('mediation.decision.confirmedBy')}</dt>
          <dd>
            {operatorOrDash(detail, r.confirmedBy)}
            {r.decidedAt && (
              <>
                {', '}
                <Time ctx={ctx} date={r.decidedAt} />
              </>
            )}
          </dd>
        </dl>
      )}
      {r.status === 'proposed' && r.proposedDecision && (
        <>
          <dl class="details nz-proposal">
            <dt>{tr('mediation.proposal')}</dt>
            <dd>
              <strong>{tr(`mediation.proposal.${r.proposedDecision}`)}</strong>
            </dd>
            <dt>{tr('mediation.decision.reason')}</dt>
            <dd class="review-text">{r.proposalReason ?? '—'}</dd>
            <dt>{tr('mediation.decision.proposedBy')}</dt>
            <dd>
              {operatorOrDash(detail, r.proposedBy)}
              {r.proposedAt && (
                <>
                  {', '}
                  <Time ctx={ctx} date={r.proposedAt} />
                </>
              )}
            </dd>
          </dl>
          <Confirmation {...props} />
        </>
      )}
      {(r.status === 'submitted' || r.status === 'in_review' || r.status === 'mediation') && (
        <Proposal {...props} />
      )}
    </section>
  );
}
