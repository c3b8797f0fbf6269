// The reviewer's queue: how many wait, "take the next report", the filters,
// and the reports, those on one account side by side, oldest first, flags
// in words, who holds a claim.
import { categoryCodes, categoryName } from '../shared/categories.ts';
import { href, translator } from '../http/layout.tsx';
import { tCount } from '../shared/messages.ts';
import { ActionForm, FlagAndClaimFacts, type StaffView } from '../backoffice/claims.tsx';
import { CheckboxField, InputField, SelectField } from '../backoffice/fields.tsx';
import { formatRupiah } from '../backoffice/format.ts';
import {
  ErrorSummary,
  fieldError,
  Notice,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths, reportPath } from '../backoffice/paths.ts';
import { FilterForm, Pager, QueueCountsCard } from '../backoffice/queue.tsx';
import { Age } from '../backoffice/time.tsx';
import type { QueueItem, ReportPartner } from './reports.service.ts';
import {
  pageSize,
  providerLabels,
  queueUrl,
  reportSources,
  reportStatuses,
  type FilterValues,
  type ReadFilter,
} from './review.form.ts';
import {
  accountView,
  categoryText,
  flagText,
  StatusBadge,
  statusName,
  words,
} from './review.views.tsx';

function QueueFilterForm({
  ctx,
  values,
  errors,
  partners,
}: {
  ctx: BackOfficeContext;
  values: FilterValues;
  errors: readonly FormError[];
  partners: readonly ReportPartner[];
}) {
  const tr = translator(ctx);
  return (
    <FilterForm
      ctx={ctx}
      action={adminPaths.reports}
      title={tr('admin.review.filter')}
      apply={tr('admin.review.filter.apply')}
      clear={tr('admin.review.filter.clear')}
      after={
        <>
          <datalist id="provider-list">
            {providerLabels.map((label) => (
              <option key={label} value={label} />
            ))}
          </datalist>
          <p class="hint">{tr('admin.review.filter.dates.hint')}</p>
        </>
      }
    >
      <SelectField
        id="status"
        label={tr('admin.review.status')}
        error={fieldError(errors, 'status')}
      >
        <option value="">{tr('admin.review.filter.status.open')}</option>
        {reportStatuses.map((status) => (
          <option key={status} value={status} selected={values.status === status}>
            {statusName(ctx.lang, status)}
          </option>
        ))}
      </SelectField>
      <SelectField
        id="category"
        label={tr('admin.review.category')}
        error={fieldError(errors, 'category')}
      >
        <option value="">{tr('admin.review.filter.category.any')}</option>
        {categoryCodes.map((code) => (
          <option key={code} value={code} selected={values.category === code}>
            {categoryName(code, ctx.lang)}
          </option>
        ))}
      </SelectField>
      <SelectField id="source" label={tr('admin.review.source')} error={undefined}>
        <option value="">{tr('admin.review.source.all')}</option>
        {reportSources.map((source) => (
          <option key={source} value={source} selected={values.source === source}>
            {tr(`admin.review.source.${source}`)}
          </option>
        ))}
      </SelectField>
      {partners.length > 0 && (
        <SelectField id="partner" label={tr('admin.review.source.partner')} error={undefined}>
          <option value="">{tr('admin.review.source.anyPartner')}</option>
          {partners.map((partner) => (
            <option
              key={partner.id}
              value={String(partner.id)}
              selected={values.partner === String(partner.id)}
            >
              {partner.name}
            </option>
          ))}
        </SelectField>
      )}
      <InputField
        id="provider"
        label={tr('admin.review.provider')}
        hint={tr('admin.review.filter.provider.hint')}
        value={values.provider}
        list="provider-list"
        error={fieldError(errors, 'provider')}
        filter
      />
      <InputField
        id="from"
        type="date"
        label={tr('admin.review.filter.from')}
        value={values.from}
        error={fieldError(errors, 'from')}
        filter
      />
      <InputField
        id="to"
        type="date"
        label={tr('admin.review.filter.to')}
        value={values.to}
        error={fieldError(errors, 'to')}
        filter
      />
      <CheckboxField
        id="flagged"
        class="field review-flagged-field"
        label={tr('admin.review.filter.flagged')}
        checked={!!values.flagged}
      />
    </FilterForm>
  );
}

/** Consecutive reports on one account (the queue already orders them so). */
function groupByAccount(items: readonly QueueItem[]): QueueItem[][] {
  const groups: QueueItem[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last[0]!.accountId === item.accountId) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

function QueueEntry({ view, item }: { view: StaffView; item: QueueItem }) {
  const { ctx, now } = view;
  const tr = translator(ctx);
  return (
    <li class={item.flagged ? 'record record-flagged' : 'record'}>
      <h4 class="record-title">
        <a href={href(ctx, reportPath(item.id))}>
          {`#${item.id} · ${categoryText(ctx.lang, item.category)}`}
        </a>
      </h4>
      <dl class="details review-facts">
        <dt>{tr('admin.review.status')}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={item.status} />
        </dd>
        <dt>{tr('admin.review.age')}</dt>
        <dd>
          <Age ctx={ctx} words={words} createdAt={item.createdAt} now={now} />
        </dd>
        <dt>{tr('admin.review.source')}</dt>
        <dd>
          {item.partner
            ? tr('admin.review.source.fromPartner', { name: item.partner.name })
            : tr('admin.review.source.public')}
        </dd>
        <dt>{tr('admin.review.holderName')}</dt>
        <dd>{item.holderName ?? '—'}</dd>
        <dt>{tr('admin.review.amount')}</dt>
        <dd>{item.amount === null ? '—' : formatRupiah(ctx.lang, item.amount)}</dd>
        <FlagAndClaimFacts
          view={view}
          words={words}
          record={item}
          labels={{ flagged: tr('admin.review.flagged'), claim: tr('admin.review.claim') }}
          flagText={flagText}
        />
      </dl>
    </li>
  );
}

function AccountGroup({ view, items }: { view: StaffView; items: readonly QueueItem[] }) {
  const { ctx } = view;
  const first = items[0]!;
  const account = accountView(first.provider, first.number);
  const headingId = `account-${first.accountId}`;
  return (
    <li class="review-group" aria-labelledby={headingId}>
      <h3 class="review-account" id={headingId}>
        <span>{account.provider}</span> <span class="review-number">{account.number}</span>
      </h3>
      <p class="hint-inline">
        {tCount(ctx.lang, 'admin.review.accountReports', first.accountReports)}
      </p>
      <ol class="records review-items">
        {items.map((item) => (
          <QueueEntry key={item.id} view={view} item={item} />
        ))}
      </ol>
    </li>
  );
}

export interface QueuePageProps {
  readonly view: StaffView;
  readonly read: ReadFilter;
  readonly items: readonly QueueItem[];
  readonly counts: { submitted: number; inReview: number };
  /** Set after "take the next report" found the queue empty. */
  readonly empty: boolean;
  /** The partners a reviewer may filter by. */
  readonly partners?: readonly ReportPartner[];
}

export function QueuePage({ view, read, items, counts, empty, partners = [] }: QueuePageProps) {
  const { ctx } = view;
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('admin.review.queue.title')}</h1>
      <p class="lead">{tr('admin.review.queue.lead')}</p>
      <QueueCountsCard
        title={tr('admin.review.queue.counts')}
        class="queue-counts review-counts"
        counts={[
          {
            label: tr('admin.queue.submitted'),
            href: queueUrl(ctx, { status: 'submitted' }),
            count: counts.submitted,
          },
          {
            label: tr('admin.queue.inReview'),
            href: queueUrl(ctx, { status: 'in_review' }),
            count: counts.inReview,
          },
        ]}
      >
        {empty && <Notice>{tr('admin.review.next.empty')}</Notice>}
        <ActionForm
          ctx={ctx}
          action={`${adminPaths.reports}/berikutnya`}
          label={tr('admin.review.next.label')}
          hint={tr('admin.review.next.hint')}
        />
      </QueueCountsCard>
      <ErrorSummary ctx={ctx} errors={read.errors} />
      <QueueFilterForm ctx={ctx} values={read.values} errors={read.errors} partners={partners} />
      {read.errors.length === 0 && (
        <section aria-labelledby="reports-title">
          <h2 id="reports-title">
            {tr('admin.review.queue.reports')}
            {read.page > 1 && (
              <span class="small">{` · ${tr('admin.review.queue.page', { page: read.page })}`}</span>
            )}
          </h2>
          {items.length === 0 ? (
            <p>{tr('admin.review.queue.none')}</p>
          ) : (
            <ol class="review-groups">
              {groupByAccount(items).map((group) => (
                <AccountGroup key={`${group[0]!.id}`} view={view} items={group} />
              ))}
            </ol>
          )}
          <Pager
            label={tr('admin.review.queue.pages')}
            page={read.page}
            hasNext={items.length === pageSize}
            pageHref={(page) => queueUrl(ctx, read.values, page)}
            previous={tr('admin.review.queue.previous')}
            next={tr('admin.review.queue.next')}
          />
        </section>
      )}
    </>
  );
}
