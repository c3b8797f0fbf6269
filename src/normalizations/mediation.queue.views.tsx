// The mediator's queue: requests with their deadlines (overdue ones
// highlighted and counted), a filter by status, and the way to the
// service-desk entry.
import { WarningIcon } from '../http/icons.tsx';
import { href, translator } from '../http/layout.tsx';
import { tCount } from '../shared/messages.ts';
import { CautionNotice } from '../backoffice/claims.tsx';
import type { BackOfficeContext } from '../backoffice/layout.tsx';
import { Pager } from '../backoffice/queue.tsx';
import { Day, Time } from '../backoffice/time.tsx';
import type { QueueItem } from './normalizations.service.ts';
import {
  casePath,
  mediationPaths,
  pageSize,
  queueFilters,
  queuePath,
  type QueueRead,
} from './mediation.form.ts';
import { accountText, StatusBadges } from './mediation.views.tsx';

function QueueEntry({ ctx, item }: { ctx: BackOfficeContext; item: QueueItem }) {
  const tr = translator(ctx);
  return (
    <li class={item.overdue ? 'record nz-item nz-overdue' : 'record nz-item'}>
      <h2 class="record-title">
        <a href={href(ctx, casePath(item.id))}>
          {`${item.ticket ?? `#${item.id}`} · ${accountText(item.provider, item.number)}`}
        </a>
      </h2>
      <StatusBadges ctx={ctx} status={item.status} overdue={item.overdue} channel={item.channel} />
      <dl class="details">
        <dt>{tr('mediation.filed')}</dt>
        <dd>
          <Day ctx={ctx} date={item.createdAt} />
        </dd>
        <dt>{tr('mediation.due')}</dt>
        <dd class={item.overdue ? 'nz-late' : undefined}>
          {item.overdue && <WarningIcon />}
          <Day ctx={ctx} date={item.dueAt} />
        </dd>
        <dt>{tr('mediation.disputedReports')}</dt>
        <dd>{item.disputedReports}</dd>
        <dt>{tr('mediation.openQuestions')}</dt>
        <dd>{item.openQuestions}</dd>
        {item.nextMediation && (
          <>
            <dt>{tr('mediation.nextMediation')}</dt>
            <dd>
              <Time ctx={ctx} date={item.nextMediation} />
            </dd>
          </>
        )}
        {item.proposedDecision && (
          <>
            <dt>{tr('mediation.proposal')}</dt>
            <dd>{tr(`mediation.proposal.${item.proposedDecision}`)}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

export function QueuePage(props: {
  ctx: BackOfficeContext;
  items: readonly QueueItem[];
  read: QueueRead;
  decisionDays: number;
}) {
  const { ctx, items, read } = props;
  const tr = translator(ctx);
  const overdue = items.filter((i) => i.overdue).length;
  return (
    <>
      <h1>{tr('mediation.queue.title')}</h1>
      <p class="lead">{tr('mediation.queue.lead', { days: props.decisionDays })}</p>
      <p>
        <a class="button button-secondary" href={href(ctx, mediationPaths.entry)}>
          {tr('mediation.entry.link')}
        </a>
      </p>
      {overdue > 0 && (
        <CautionNotice icon="clock">
          {tCount(ctx.lang, 'mediation.queue.overdueNotice', overdue)}
        </CautionNotice>
      )}
      <form class="card" method="get" action={mediationPaths.queue} aria-labelledby="filter-title">
        <h2 id="filter-title" class="form-title">
          {tr('mediation.filter.title')}
        </h2>
        <div class="filter-grid">
          <div class="field">
            <label for="status">{tr('mediation.filter.status')}</label>
            <select id="status" name="status">
              {queueFilters.map((f) => (
                <option key={f} value={f} selected={f === read.filter}>
                  {tr(`mediation.filter.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <span class="choice">
              <input
                type="checkbox"
                id="terlambat"
                name="terlambat"
                value="1"
                checked={read.overdueOnly}
              />
              <label for="terlambat">{tr('mediation.filter.overdue')}</label>
            </span>
          </div>
        </div>
        {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
        <button type="submit" class="button button-secondary">
          {tr('mediation.filter.apply')}
        </button>
      </form>
      {items.length === 0 ? (
        <p>{tr('mediation.queue.empty')}</p>
      ) : (
        <ol class="records nz-queue">
          {items.map((item) => (
            <QueueEntry key={item.id} ctx={ctx} item={item} />
          ))}
        </ol>
      )}
      <Pager
        label={tr('mediation.queue.pages')}
        page={read.page}
        hasNext={items.length === pageSize}
        pageHref={(page) => href(ctx, queuePath(read, page))}
        previous={tr('mediation.queue.previous')}
        next={tr('mediation.queue.next')}
        holdPlace
      />
    </>
  );
}
