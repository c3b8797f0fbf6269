// The operators' own figures as tables with captions: the backlog by age (a
// column per queue, so that it fits a 360 px screen), the median time to a
// decision, and for admins the decisions per operator and week. Each table
// scrolls in its own region when it is wider than a 360 px screen.
import type { ComponentChildren } from 'preact';
import { translator, type PageContext } from '../http/layout.tsx';
import type { Lang } from '../shared/i18n.ts';
import { t, tCount } from '../shared/messages.ts';
import { Time } from '../backoffice/time.tsx';
import {
  ageBands,
  type DecisionsPerOperator,
  type FiguresQueue,
  type OperatorFigures,
} from './dashboard.figures.service.ts';

const minute = 60 * 1000;
const hour = 60 * minute;
const day = 24 * hour;

/** "2 hari 4 jam", "5 hours 12 minutes", "under 1 minute": the two largest units. */
export function durationText(lang: Lang, ms: number): string {
  const days = Math.floor(ms / day);
  const hours = Math.floor((ms % day) / hour);
  const minutes = Math.floor((ms % hour) / minute);
  const parts: string[] = [];
  if (days > 0) {
    parts.push(tCount(lang, 'admin.figures.days', days));
    if (hours > 0) parts.push(tCount(lang, 'admin.figures.hours', hours));
  } else if (hours > 0) {
    parts.push(tCount(lang, 'admin.figures.hours', hours));
    if (minutes > 0) parts.push(tCount(lang, 'admin.figures.minutes', minutes));
  } else if (minutes > 0) {
    parts.push(tCount(lang, 'admin.figures.minutes', minutes));
  }
  return parts.length ? parts.join(' ') : t(lang, 'admin.figures.lessThanMinute');
}

/** A duration for people, with its ISO form for machines. */
function Duration({ ctx, ms }: { ctx: PageContext; ms: number }) {
  const seconds = Math.round(ms / 1000);
  return <time datetime={`PT${seconds}S`}>{durationText(ctx.lang, ms)}</time>;
}

/** A wide table scrolls inside its own region at 360 px (focusable, so keyboards can scroll it). */
function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-labelledby={label} tabIndex={0}>
      {children}
    </div>
  );
}

const shortDates: Record<Lang, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', {
    day: 'numeric',
    month: 'short',
    timeZone: 'Asia/Jakarta',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'Asia/Jakarta',
  }),
};

function BacklogTable({ ctx, figures }: { ctx: PageContext; figures: OperatorFigures }) {
  const tr = translator(ctx);
  const none = tr('admin.figures.none');
  return (
    <TableScroll label="figures-backlog-caption">
      <table class="figures-table" id="figures-backlog">
        <caption id="figures-backlog-caption">{tr('admin.figures.backlog.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{tr('admin.figures.backlog.band')}</th>
            {figures.queues.map((q) => (
              <th scope="col" key={q.queue}>
                {tr(`admin.queue.${q.queue}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ageBands.map((band) => (
            <tr key={band}>
              <th scope="row">{tr(`admin.figures.band.${band}`)}</th>
              {figures.queues.map((q) => (
                <td key={q.queue} data-queue={q.queue} data-band={band}>
                  {q.backlog.bands[band]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{tr('admin.figures.backlog.total')}</th>
            {figures.queues.map((q) => (
              <td key={q.queue} data-queue={q.queue} data-band="total">
                {q.backlog.total}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">{tr('admin.figures.backlog.oldest')}</th>
            {figures.queues.map((q) => (
              <td key={q.queue} data-queue={q.queue} data-band="oldest">
                {q.backlog.oldestAgeMs === null ? (
                  none
                ) : (
                  <Duration ctx={ctx} ms={q.backlog.oldestAgeMs} />
                )}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </TableScroll>
  );
}

function DecisionTimeTable({ ctx, figures }: { ctx: PageContext; figures: OperatorFigures }) {
  const tr = translator(ctx);
  return (
    <TableScroll label="figures-decision-time-caption">
      <table class="figures-table" id="figures-decision-time">
        <caption id="figures-decision-time-caption">
          {tr('admin.figures.time.caption', { days: figures.decisionWindowDays })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{tr('admin.figures.time.queue')}</th>
            <th scope="col">{tr('admin.figures.time.median')}</th>
            <th scope="col">{tr('admin.figures.time.decisions')}</th>
          </tr>
        </thead>
        <tbody>
          {figures.queues.map((q) => (
            <tr key={q.queue} data-queue={q.queue}>
              <th scope="row">{tr(`admin.queue.${q.queue}`)}</th>
              <td data-figure="median">
                {q.decisionTime.medianMs === null ? (
                  tr('admin.figures.none')
                ) : (
                  <Duration ctx={ctx} ms={q.decisionTime.medianMs} />
                )}
              </td>
              <td data-figure="decisions">{q.decisionTime.decisions}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function OperatorsTable({ ctx, operators }: { ctx: PageContext; operators: DecisionsPerOperator }) {
  const tr = translator(ctx);
  const weeks = operators.weeks.length;
  if (operators.rows.length === 0) {
    return <p id="figures-operators-none">{tr('admin.figures.operators.none', { weeks })}</p>;
  }
  const queueName = (queue: FiguresQueue) => tr(`admin.queue.${queue}`);
  return (
    <TableScroll label="figures-operators-caption">
      <table class="figures-table" id="figures-operators">
        <caption id="figures-operators-caption">
          {tr('admin.figures.operators.caption', { weeks })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{tr('admin.figures.operators.operator')}</th>
            <th scope="col">{tr('admin.figures.operators.queue')}</th>
            {operators.weeks.map((w) => (
              <th scope="col" key={w.id}>
                <time datetime={w.id}>
                  {tr('admin.figures.operators.week', { week: w.number })}
                </time>
                <span class="figures-week-start">
                  {tr('admin.figures.operators.weekFrom', {
                    date: shortDates[ctx.lang].format(w.start),
                  })}
                </span>
              </th>
            ))}
            <th scope="col">{tr('admin.figures.operators.total')}</th>
          </tr>
        </thead>
        <tbody>
          {operators.rows.map((row) => (
            <tr
              key={`${row.operatorId}-${row.queue}`}
              data-operator={row.email ?? String(row.operatorId)}
              data-queue={row.queue}
            >
              <th scope="row">
                {row.email ?? tr('admin.figures.operators.unknown', { id: row.operatorId })}
              </th>
              <td class="figures-text">{queueName(row.queue)}</td>
              {row.counts.map((n, i) => (
                <td key={operators.weeks[i]!.id} data-week={operators.weeks[i]!.id}>
                  {n}
                </td>
              ))}
              <td data-week="total">{row.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The section of the dashboard; nothing when the operator works no queue and is no admin. */
export function OperatorFiguresSection({
  ctx,
  figures,
}: {
  ctx: PageContext;
  figures: OperatorFigures;
}) {
  const tr = translator(ctx);
  if (figures.queues.length === 0 && !figures.operators) return null;
  return (
    <section class="figures" aria-labelledby="figures-title" id="figures">
      <h2 id="figures-title">{tr('admin.figures.title')}</h2>
      <p class="hint">
        {tr('admin.figures.lead')}{' '}
        <span class="small">
          (<Time ctx={ctx} date={figures.at} />)
        </span>
      </p>
      {figures.queues.length > 0 && (
        <div class="figures-tables">
          <BacklogTable ctx={ctx} figures={figures} />
          <DecisionTimeTable ctx={ctx} figures={figures} />
        </div>
      )}
      {figures.operators && (
        <section aria-labelledby="figures-operators-title">
          <h3 id="figures-operators-title">{tr('admin.figures.operators.title')}</h3>
          <p class="hint">{tr('admin.figures.operators.hint')}</p>
          <OperatorsTable ctx={ctx} operators={figures.operators} />
        </section>
      )}
    </section>
  );
}
