// The registrar's queue: how many wait (and how many approved sellers a
// verified report put back for a re-check), the filter, and the
// registrations, flagged first, with who holds a claim.
import { href, translator } from '../http/layout.tsx';
import { FlagAndClaimFacts, type StaffView } from '../backoffice/claims.tsx';
import { CheckboxField, SelectField } from '../backoffice/fields.tsx';
import { ErrorSummary, fieldError } from '../backoffice/layout.tsx';
import { FilterForm, Pager, QueueCountsCard } from '../backoffice/queue.tsx';
import { Age } from '../backoffice/time.tsx';
import { registrationPath, registrationPaths } from './registrations.paths.ts';
import type { RegistrationQueueItem } from './registrations.service.ts';
import { pageSize, queueUrl, registrationStatuses, type QueueRead } from './registrar.form.ts';
import { accountText, flagText, StatusBadge, statusName, words } from './registrar.views.tsx';

function QueueEntry({ view, item }: { view: StaffView; item: RegistrationQueueItem }) {
  const { ctx, now } = view;
  const tr = translator(ctx);
  const account = accountText(item.provider, item.number);
  return (
    <li class={item.flagged ? 'record record-flagged' : 'record'}>
      <h3 class="record-title">
        <a href={href(ctx, registrationPath(item.id))}>{`#${item.id} · ${item.businessName}`}</a>
      </h3>
      <dl class="details review-facts">
        <dt>{tr('registrar.account')}</dt>
        <dd>
          {account.provider} <span class="account-number">{account.number}</span>
        </dd>
        <dt>{tr('registrar.holderName')}</dt>
        <dd>{item.holderName}</dd>
        <dt>{tr('registrar.status')}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={item.status} />
        </dd>
        <dt>{tr('registrar.received')}</dt>
        <dd>
          <Age ctx={ctx} words={words} createdAt={item.createdAt} now={now} />
        </dd>
        <dt>{tr('registrar.verifiedReports')}</dt>
        <dd>{item.verifiedReports}</dd>
        <FlagAndClaimFacts
          view={view}
          words={words}
          record={item}
          labels={{ flagged: tr('registrar.flagged'), claim: tr('registrar.claim') }}
          flagText={flagText}
        />
      </dl>
    </li>
  );
}

export function QueuePage(props: {
  view: StaffView;
  read: QueueRead;
  items: readonly RegistrationQueueItem[];
  counts: { submitted: number; inReview: number; recheck: number };
}) {
  const { view, read, items, counts } = props;
  const { ctx } = view;
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('registrar.queue.title')}</h1>
      <p class="lead">{tr('registrar.queue.lead')}</p>
      <QueueCountsCard
        title={tr('registrar.queue.counts')}
        class="queue-counts"
        counts={[
          {
            label: tr('registrar.status.submitted'),
            href: queueUrl(ctx, { status: 'submitted' }),
            count: counts.submitted,
          },
          {
            label: tr('registrar.status.in_review'),
            href: queueUrl(ctx, { status: 'in_review' }),
            count: counts.inReview,
          },
          {
            label: tr('registrar.queue.recheck'),
            href: queueUrl(ctx, { status: 'approved', flagged: true }),
            count: counts.recheck,
          },
        ]}
      />
      <ErrorSummary ctx={ctx} errors={read.errors} />
      <FilterForm
        ctx={ctx}
        action={registrationPaths.queue}
        title={tr('registrar.filter')}
        apply={tr('registrar.filter.apply')}
        clear={tr('registrar.filter.clear')}
      >
        <SelectField
          id="status"
          label={tr('registrar.status')}
          error={fieldError(read.errors, 'status')}
        >
          <option value="">{tr('registrar.filter.status.open')}</option>
          {registrationStatuses.map((status) => (
            <option key={status} value={status} selected={read.status === status}>
              {statusName(ctx.lang, status)}
            </option>
          ))}
        </SelectField>
        <CheckboxField id="flagged" label={tr('registrar.filter.flagged')} checked={read.flagged} />
      </FilterForm>
      {read.errors.length === 0 && (
        <section aria-labelledby="list-title">
          <h2 id="list-title">{tr('registrar.queue.list')}</h2>
          {items.length === 0 ? (
            <p>{tr('registrar.queue.none')}</p>
          ) : (
            <ol class="records">
              {items.map((item) => (
                <QueueEntry key={item.id} view={view} item={item} />
              ))}
            </ol>
          )}
          <Pager
            label={tr('registrar.queue.pages')}
            page={read.page}
            hasNext={items.length === pageSize}
            pageHref={(page) => queueUrl(ctx, read, page)}
            previous={tr('registrar.queue.previous')}
            next={tr('registrar.queue.next')}
          />
        </section>
      )}
    </>
  );
}
