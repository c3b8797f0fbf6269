// A registration in full for its registrar: its state and claim, what the
// seller typed next to the document that proves it (the NIK masked until an
// audited reveal), the account's report history, the decision, and the
// revocation of an approved seller.
import type { ComponentChildren } from 'preact';
import { categoryName, isCategoryCode } from '../shared/categories.ts';
import type { ReportStatus } from '../db/schema.ts';
import type { FileRecord } from '../files/files.service.ts';
import { href, translator } from '../http/layout.tsx';
import type { Lang } from '../shared/i18n.ts';
import { t, tCount } from '../shared/messages.ts';
import { maxNoteLength, type DecisionForm } from '../backoffice/changes.ts';
import {
  activeClaim,
  CautionNotice,
  ClaimText,
  heldByOther,
  operatorName,
  PostButton,
  type ClaimConflict,
  type StaffView,
} from '../backoffice/claims.tsx';
import {
  DecisionSection,
  RecordTop,
  ReasonSelect,
  type ReasonGroup,
} from '../backoffice/decision.tsx';
import { TextAreaField } from '../backoffice/fields.tsx';
import {
  CsrfField,
  fieldError,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { filePath } from '../backoffice/paths.ts';
import { Fact, FlagList } from '../backoffice/queue.tsx';
import { Time } from '../backoffice/time.tsx';
import type { DocumentField } from './registration-input.ts';
import { businessTypeName } from './registrations.pages.tsx';
import { registrationPath, registrationPaths } from './registrations.paths.ts';
import {
  approveReasons,
  reasonText,
  rejectReasons,
  type RegistrationDetail,
  type RegistrationReason,
  type RegistrationRecord,
} from './registrations.service.ts';
import type { PageNotice } from './registrar.form.ts';
import { accountText, flagText, StatusBadge, workable, words } from './registrar.views.tsx';

function reportStatusName(lang: Lang, status: ReportStatus): string {
  return t(lang, `registrar.reportStatus.${status}`);
}

function fileSize(lang: Lang, bytes: number): string {
  const kb = Math.max(1, Math.round(bytes / 1024));
  return `${kb.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB')} KB`;
}

function DocumentView(props: {
  ctx: BackOfficeContext;
  field: DocumentField;
  file: FileRecord | undefined;
  erased: boolean;
}) {
  const { ctx, field, file } = props;
  const tr = translator(ctx);
  const title = tr(`sellerForm.${field}`);
  if (!file) {
    return (
      <figure class="reg-document reg-document-missing">
        <figcaption>
          <strong>{title}</strong>
          <span class="small">
            {' · '}
            {tr(props.erased ? 'registrar.document.erased' : 'registrar.document.none')}
          </span>
        </figcaption>
      </figure>
    );
  }
  if (file.mime === 'application/pdf') {
    return (
      <figure class="reg-document">
        <figcaption>
          <strong>{title}</strong>
        </figcaption>
        <p>
          <a href={filePath(file.id)}>{tr('registrar.document.openPdf')}</a>
          <span class="small">{` (PDF, ${fileSize(ctx.lang, file.size)})`}</span>
        </p>
      </figure>
    );
  }
  return (
    <figure class="reg-document">
      <a href={filePath(file.id)}>
        <img src={filePath(file.id)} alt={title} loading="lazy" />
      </a>
      <figcaption>
        <strong>{title}</strong>
        <span class="small">{` (${fileSize(ctx.lang, file.size)})`}</span>
      </figcaption>
    </figure>
  );
}

/** One row of the comparison: what was typed, and the document that proves it. */
function CompareRow(props: {
  ctx: BackOfficeContext;
  title: string;
  field: DocumentField;
  detail: RegistrationDetail;
  children: ComponentChildren;
}) {
  const { ctx, detail, field } = props;
  const file = detail.files.find((f) => f.field === field);
  return (
    <div class="reg-compare-row">
      <div class="reg-typed">
        <h3>{props.title}</h3>
        <dl class="details">{props.children}</dl>
      </div>
      <DocumentView
        ctx={ctx}
        field={field}
        file={file}
        erased={detail.registration.documentsErasedAt !== null}
      />
    </div>
  );
}

function NikFact(props: {
  ctx: BackOfficeContext;
  detail: RegistrationDetail;
  revealed: string | null;
}) {
  const { ctx, detail, revealed } = props;
  const tr = translator(ctx);
  const r = detail.registration;
  if (revealed) {
    return (
      <Fact label={tr('registrar.nik')}>
        <code id="nik-full">{revealed}</code>
        <span class="small">{` ${tr('registrar.nik.revealed')}`}</span>
      </Fact>
    );
  }
  if (!detail.nikMasked) {
    return <Fact label={tr('registrar.nik')}>{tr('registrar.nik.erased')}</Fact>;
  }
  return (
    <Fact label={tr('registrar.nik')}>
      <code id="nik-masked">{detail.nikMasked}</code>
      <form class="action-form" method="post" action={href(ctx, registrationPath(r.id, 'nik'))}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button button-secondary button-small">
          {tr('registrar.nik.reveal')}
        </button>
        <p class="hint">{tr('registrar.nik.reveal.hint')}</p>
      </form>
    </Fact>
  );
}

function Comparison(props: {
  ctx: BackOfficeContext;
  detail: RegistrationDetail;
  revealed: string | null;
}) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const r = detail.registration;
  const account = accountText(r.provider, r.number);
  return (
    <section class="card" aria-labelledby="compare-title">
      <h2 id="compare-title">{tr('registrar.compare')}</h2>
      <p class="hint">{tr('registrar.compare.hint')}</p>
      <div class="reg-compare">
        <CompareRow
          ctx={ctx}
          title={tr('registrar.compare.account')}
          field="savingsBookPhoto"
          detail={detail}
        >
          <Fact label={tr('registrar.account')}>{account.provider}</Fact>
          <Fact label={tr('registrar.number')}>
            <span class="account-number">{account.number}</span>
          </Fact>
          <Fact label={tr('registrar.holderName')}>{r.holderName}</Fact>
        </CompareRow>
        <CompareRow
          ctx={ctx}
          title={tr('registrar.compare.identity')}
          field="idCardPhoto"
          detail={detail}
        >
          <Fact label={tr('registrar.holderName')}>{r.holderName}</Fact>
          <NikFact ctx={ctx} detail={detail} revealed={props.revealed} />
        </CompareRow>
        <CompareRow
          ctx={ctx}
          title={tr('registrar.compare.business')}
          field="businessPermit"
          detail={detail}
        >
          <Fact label={tr('registrar.businessName')}>{r.businessName}</Fact>
          <Fact label={tr('registrar.businessType')}>
            {businessTypeName(ctx.lang, r.businessType, r.businessTypeOther)}
          </Fact>
        </CompareRow>
      </div>
      <h3>{tr('registrar.contact')}</h3>
      <dl class="details">
        <Fact label={tr('registrar.phone')}>{detail.contact?.phone}</Fact>
        <Fact label={tr('registrar.email')}>{detail.contact?.email}</Fact>
      </dl>
      <p class="hint">{tr('registrar.audited')}</p>
    </section>
  );
}

function StateSection({ view, detail }: { view: StaffView; detail: RegistrationDetail }) {
  const { ctx, now } = view;
  const tr = translator(ctx);
  const r = detail.registration;
  const claim = activeClaim(r, now);
  const mine = claim?.by === ctx.session?.operator.id;
  return (
    <section class="card" aria-labelledby="state-title">
      <h2 id="state-title">{tr('registrar.state')}</h2>
      <dl class="details">
        <Fact label={tr('registrar.status')}>
          <StatusBadge ctx={ctx} status={r.status} />
        </Fact>
        <Fact label={tr('registrar.received')}>
          <Time ctx={ctx} date={r.createdAt} />
        </Fact>
        {r.ticket && (
          <Fact label={tr('registrar.ticket')}>
            <code>{r.ticket}</code>
          </Fact>
        )}
        {r.flagged && (
          <Fact label={tr('registrar.flagged')}>
            <FlagList ctx={ctx} reasons={r.flagReasons} text={flagText} />
          </Fact>
        )}
        {workable(r) && (
          <Fact label={tr('registrar.claim')}>
            <ClaimText view={view} words={words} record={r} />
          </Fact>
        )}
        {r.decidedAt && (
          <>
            <Fact label={tr('registrar.decidedBy')}>
              {r.decidedBy === null ? null : operatorName(view, words, r.decidedBy)}
              {', '}
              <Time ctx={ctx} date={r.decidedAt} />
            </Fact>
            <Fact label={tr('registrar.reason')}>
              {r.decisionReason && reasonText(ctx.lang, r.decisionReason)}
            </Fact>
            {r.decisionNote && <Fact label={tr('registrar.note')}>{r.decisionNote}</Fact>}
          </>
        )}
        {r.recheckedAt && (
          <Fact label={tr('registrar.rechecked')}>
            {r.recheckedBy === null ? null : operatorName(view, words, r.recheckedBy)}
            {', '}
            <Time ctx={ctx} date={r.recheckedAt} />
            {r.recheckReason && ` · ${reasonText(ctx.lang, r.recheckReason)}`}
          </Fact>
        )}
        {r.documentsErasedAt && (
          <Fact label={tr('registrar.erasedAt')}>
            <Time ctx={ctx} date={r.documentsErasedAt} />
          </Fact>
        )}
        {detail.sellerPage && (
          <Fact label={tr('registrar.sellerPage')}>
            <a href={detail.sellerPage}>{tr('registrar.sellerPage.open')}</a>
          </Fact>
        )}
      </dl>
      {workable(r) && (!claim || mine) && (
        <div class="button-row">
          {!mine && (
            <PostButton
              ctx={ctx}
              action={registrationPath(r.id, 'klaim')}
              label={tr('registrar.claim.take')}
            />
          )}
          {mine && (
            <PostButton
              ctx={ctx}
              action={registrationPath(r.id, 'lepas')}
              label={tr('registrar.claim.release')}
            />
          )}
        </div>
      )}
    </section>
  );
}

function HistorySection({ ctx, detail }: { ctx: BackOfficeContext; detail: RegistrationDetail }) {
  const tr = translator(ctx);
  const reports = detail.accountReports;
  const verified = reports.filter((r) => r.status === 'verified').length;
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">{tr('registrar.history')}</h2>
      {reports.length === 0 ? (
        <p>{tr('registrar.history.none')}</p>
      ) : (
        <>
          <p>{tCount(ctx.lang, 'registrar.history.verified', verified)}</p>
          <ul class="review-others">
            {reports.map((report) => (
              <li key={report.id}>
                {`#${report.id} · ${isCategoryCode(report.category) ? categoryName(report.category, ctx.lang) : report.category} · ${reportStatusName(ctx.lang, report.status)} · `}
                <span class="small">
                  <Time ctx={ctx} date={report.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function reasonGroup(
  lang: Lang,
  label: string,
  reasons: readonly RegistrationReason[],
): ReasonGroup {
  return { label, reasons: reasons.map((r) => ({ value: r, text: reasonText(lang, r) })) };
}

function NoteField(props: {
  ctx: BackOfficeContext;
  id: string;
  value: string;
  error: string | undefined;
}) {
  const tr = translator(props.ctx);
  return (
    <TextAreaField
      id={props.id}
      name="note"
      label={tr('registrar.note.label')}
      hint={tr('registrar.note.hint')}
      rows={3}
      maxLength={maxNoteLength}
      value={props.value}
      error={props.error}
    />
  );
}

function RegistrationDecision(props: {
  ctx: BackOfficeContext;
  record: RegistrationRecord;
  form: DecisionForm;
  errors: readonly FormError[];
}) {
  const { ctx, record, form, errors } = props;
  const tr = translator(ctx);
  const recheck = record.status === 'approved';
  const choice = (value: 'approve' | 'reject') => {
    const key = recheck ? (value === 'approve' ? 'keep' : 'revoke') : value;
    return {
      value,
      checked: form.decision === value,
      label: tr(`registrar.decision.${key}`),
      hint: tr(`registrar.decision.${key}.hint`),
    };
  };
  return (
    <DecisionSection
      ctx={ctx}
      action={registrationPath(record.id, 'keputusan')}
      title={tr(recheck ? 'registrar.decision.recheckTitle' : 'registrar.decision.title')}
      legend={tr('registrar.decision.legend')}
      error={fieldError(errors, 'decision')}
      choices={[choice('approve'), choice('reject')]}
      submit={tr('registrar.decision.submit')}
    >
      <ReasonSelect
        id="reason"
        label={tr('registrar.reason')}
        choose={tr('registrar.reason.choose')}
        value={form.reason}
        error={fieldError(errors, 'reason')}
        groups={[
          reasonGroup(ctx.lang, tr('registrar.reason.approve'), approveReasons),
          reasonGroup(ctx.lang, tr('registrar.reason.reject'), rejectReasons),
        ]}
      />
      <NoteField ctx={ctx} id="note" value={form.note} error={fieldError(errors, 'note')} />
    </DecisionSection>
  );
}

function RevocationSection({
  ctx,
  record,
}: {
  ctx: BackOfficeContext;
  record: RegistrationRecord;
}) {
  const tr = translator(ctx);
  return (
    <section class="card reg-revoke" aria-labelledby="revoke-title">
      <h2 id="revoke-title">{tr('registrar.revoke.title')}</h2>
      <p>{tr('registrar.revoke.text')}</p>
      <form method="post" action={href(ctx, registrationPath(record.id, 'cabut'))} novalidate>
        <CsrfField ctx={ctx} />
        <ReasonSelect
          id="revoke-reason"
          label={tr('registrar.reason')}
          choose={tr('registrar.reason.choose')}
          value=""
          error={undefined}
          groups={[reasonGroup(ctx.lang, tr('registrar.reason.reject'), rejectReasons)]}
        />
        <NoteField ctx={ctx} id="revoke-note" value="" error={undefined} />
        <button type="submit" class="button button-danger">
          {tr('registrar.revoke.submit')}
        </button>
      </form>
    </section>
  );
}

export interface RegistrationPageProps {
  readonly view: StaffView;
  readonly detail: RegistrationDetail;
  readonly info: PageNotice | null;
  readonly conflict: ClaimConflict | null;
  readonly errors: readonly FormError[];
  readonly form: DecisionForm;
  readonly revealed: string | null;
}

export function RegistrationPage(props: RegistrationPageProps) {
  const { view, detail, info, conflict, errors } = props;
  const { ctx } = view;
  const tr = translator(ctx);
  const r = detail.registration;
  return (
    <>
      <RecordTop
        ctx={ctx}
        back={{ path: registrationPaths.queue, text: tr('registrar.back') }}
        title={tr('registrar.registration.title', { id: r.id })}
        notice={info && tr(`registrar.info.${info}`)}
        conflict={conflict && { code: conflict, text: tr(`registrar.conflict.${conflict}`) }}
        errors={errors}
      />
      {r.flagged && r.status === 'approved' && (
        <CautionNotice icon="warning">{tr('registrar.recheck.notice')}</CautionNotice>
      )}
      <StateSection view={view} detail={detail} />
      <Comparison ctx={ctx} detail={detail} revealed={props.revealed} />
      <HistorySection ctx={ctx} detail={detail} />
      {workable(r) && !heldByOther(view, r) && (
        <RegistrationDecision ctx={ctx} record={r} form={props.form} errors={errors} />
      )}
      {r.status === 'approved' && !r.flagged && <RevocationSection ctx={ctx} record={r} />}
    </>
  );
}
