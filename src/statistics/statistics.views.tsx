// /statistik and /data-terbuka as they look: the period form, the charts
// (charts.tsx) with their tables, the method and the suppression note; the
// open data page with its files, data dictionary, last update and licence.
import { FieldFrame, control } from '../http/form-fields.tsx';
import { formatDateTime } from '../http/format.ts';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { categoryCodes, categoryName } from '../shared/categories.ts';
import { t, type MessageKey } from '../shared/messages.ts';
import { MonthBarChart, RowBarChart, dash, numberFormat, type ChartText } from './charts.tsx';
import type { Period } from './period.ts';
import { suppressionThreshold, type Statistics } from './statistics.service.ts';
import { openDataColumns } from './open-data.ts';

export const licenceUrl = 'https://creativecommons.org/licenses/by/4.0/deed.id';
export const licenceUrlEn = 'https://creativecommons.org/licenses/by/4.0/';

export interface PeriodFormView {
  /** What was typed, shown back as it was. */
  readonly values: { readonly from: string; readonly to: string };
  /** Message keys by field. */
  readonly errors: ReadonlyMap<string, string>;
}

function PeriodForm({
  ctx,
  form,
  action,
}: {
  ctx: PageContext;
  form: PeriodFormView;
  action: string;
}) {
  const tr = translator(ctx);
  const errors = form.errors;
  const errorText = (name: string) => {
    const key = errors.get(name);
    return key ? t(ctx.lang, key as MessageKey, { max: 120 }) : undefined;
  };
  return (
    <form class="stats-period card" method="get" action={action}>
      <fieldset>
        <legend>{tr('statistics.period')}</legend>
        {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
        <div class="stats-period-fields">
          {(['from', 'to'] as const).map((name) => (
            <FieldFrame
              key={name}
              name={name}
              label={tr(`statistics.${name}`)}
              hint={tr('statistics.monthHint')}
              error={errorText(name)}
            >
              <input
                type="text"
                {...control(errors, name)}
                value={form.values[name]}
                autocomplete="off"
                spellcheck={false}
              />
            </FieldFrame>
          ))}
        </div>
        <button type="submit" class="button">
          {tr('statistics.show')}
        </button>
      </fieldset>
    </form>
  );
}

function Updated({ ctx, generatedAt }: { ctx: PageContext; generatedAt: Date | null }) {
  const tr = translator(ctx);
  if (!generatedAt) return null;
  return (
    <time dateTime={generatedAt.toISOString()}>
      {tr('statistics.updated', { date: formatDateTime(ctx.lang, generatedAt) })}
    </time>
  );
}

export function StatisticsPage({
  ctx,
  form,
  period,
  statistics,
  rebuiltAt,
}: {
  ctx: PageContext;
  form: PeriodFormView;
  period: Period;
  statistics: Statistics;
  rebuiltAt: Date | null;
}) {
  const tr = translator(ctx);
  const lang = ctx.lang;
  const fmt = numberFormat(lang);
  const months = statistics.months.map((m) => m.month);
  const text = (
    title: MessageKey,
    description: MessageKey,
    firstColumn: MessageKey,
  ): ChartText => ({
    title: tr(title),
    description: tr(description, { min: suppressionThreshold }),
    tableLabel: tr('statistics.table'),
    firstColumn: tr(firstColumn),
  });
  const series = (name: MessageKey, pick: (m: Statistics['months'][number]) => number | null) => ({
    name: tr(name),
    values: statistics.months.map(pick),
  });
  const categoryRows = categoryCodes.map((code) => {
    const shown = statistics.months
      .map((m) => m.verifiedByCategory[code])
      .filter((v): v is number => v !== null);
    return {
      label: categoryName(code, lang),
      value: shown.length === 0 ? null : shown.reduce((a, v) => a + v, 0),
    };
  });
  const totals = statistics.totals;
  return (
    <>
      <h1>{tr('statistics.title')}</h1>
      <p class="lead">{tr('statistics.lead')}</p>
      <PeriodForm ctx={ctx} form={form} action="/statistik" />
      <p>
        {tr('statistics.periodShown', { from: period.from, to: period.to })}{' '}
        <Updated ctx={ctx} generatedAt={rebuiltAt} />
      </p>
      <div class="notice notice-info stats-note">
        <div>
          <p>{tr('statistics.suppressed', { min: suppressionThreshold })}</p>
          <p>{tr('statistics.method')}</p>
        </div>
      </div>
      <section aria-labelledby="stats-totals">
        <h2 id="stats-totals">{tr('statistics.totals')}</h2>
        <dl class="stats-totals">
          <div>
            <dt>{tr('statistics.totals.listedAccounts')}</dt>
            <dd>{totals.listedAccounts == null ? dash : fmt(totals.listedAccounts)}</dd>
          </div>
          <div>
            <dt>{tr('statistics.totals.verifiedSellers')}</dt>
            <dd>{totals.verifiedSellers == null ? dash : fmt(totals.verifiedSellers)}</dd>
          </div>
        </dl>
      </section>
      <MonthBarChart
        id="chart-reports"
        lang={lang}
        months={months}
        text={text('statistics.chart.reports', 'statistics.chart.reports.desc', 'statistics.month')}
        series={[
          series('statistics.series.submitted', (m) => m.reports.submitted),
          series('statistics.series.verified', (m) => m.reports.verified),
          series('statistics.series.rejected', (m) => m.reports.rejected),
        ]}
      />
      <RowBarChart
        id="chart-categories"
        lang={lang}
        rows={categoryRows}
        valueColumn={tr('statistics.count')}
        text={text(
          'statistics.chart.categories',
          'statistics.chart.categories.desc',
          'statistics.category',
        )}
      />
      <MonthBarChart
        id="chart-provider-kinds"
        lang={lang}
        months={months}
        text={text(
          'statistics.chart.providerKinds',
          'statistics.chart.providerKinds.desc',
          'statistics.month',
        )}
        series={[
          series('statistics.series.bank', (m) => m.verifiedByProviderKind.bank),
          series('statistics.series.ewallet', (m) => m.verifiedByProviderKind.ewallet),
        ]}
      />
      <MonthBarChart
        id="chart-normalizations"
        lang={lang}
        months={months}
        text={text(
          'statistics.chart.normalizations',
          'statistics.chart.normalizations.desc',
          'statistics.month',
        )}
        series={[
          series('statistics.series.submitted', (m) => m.normalizations.submitted),
          series('statistics.series.granted', (m) => m.normalizations.granted),
          series('statistics.series.denied', (m) => m.normalizations.denied),
        ]}
      />
      <MonthBarChart
        id="chart-registrations"
        lang={lang}
        months={months}
        text={text(
          'statistics.chart.registrations',
          'statistics.chart.registrations.desc',
          'statistics.month',
        )}
        series={[
          series('statistics.series.submitted', (m) => m.registrations.submitted),
          series('statistics.series.approved', (m) => m.registrations.approved),
        ]}
      />
      <MonthBarChart
        id="chart-losses"
        lang={lang}
        months={months}
        text={text('statistics.chart.losses', 'statistics.chart.losses.desc', 'statistics.month')}
        series={[series('statistics.series.lossTotal', (m) => m.reportedLossIdr.total)]}
        extraColumns={[series('statistics.series.lossMedian', (m) => m.reportedLossIdr.median)]}
      />
      <p>
        <a href={href(ctx, '/data-terbuka')}>{tr('statistics.openData')}</a>
      </p>
      <section aria-labelledby="stats-checked">
        <h2 id="stats-checked">{tr('statistics.checked.title')}</h2>
        <p>{tr('statistics.checked.text')}</p>
      </section>
    </>
  );
}

export function OpenDataPage({
  ctx,
  period,
  rebuiltAt,
}: {
  ctx: PageContext;
  period: Period;
  rebuiltAt: Date | null;
}) {
  const tr = translator(ctx);
  const query = `?from=${period.from}&to=${period.to}`;
  return (
    <>
      <h1>{tr('openData.title')}</h1>
      <p class="lead">{tr('openData.lead')}</p>
      <section aria-labelledby="open-files">
        <h2 id="open-files">{tr('openData.files')}</h2>
        <ul>
          <li>
            <a href={`/data-terbuka/statistik.csv${query}`} download>
              {tr('openData.csv')}
            </a>
          </li>
          <li>
            <a href={`/data-terbuka/statistik.json${query}`}>{tr('openData.json')}</a>
          </li>
        </ul>
        <p class="hint">{tr('openData.filesPeriod', { from: period.from, to: period.to })}</p>
        <p>
          <strong>{tr('openData.updated')}:</strong>{' '}
          {rebuiltAt ? (
            <time dateTime={rebuiltAt.toISOString()}>{formatDateTime(ctx.lang, rebuiltAt)}</time>
          ) : (
            tr('openData.notYet')
          )}
        </p>
      </section>
      <section aria-labelledby="open-method">
        <h2 id="open-method">{tr('openData.method')}</h2>
        <p>{tr('openData.method.text', { min: suppressionThreshold })}</p>
        <p>{tr('statistics.method')}</p>
      </section>
      <section aria-labelledby="open-dictionary">
        <h2 id="open-dictionary">{tr('openData.dictionary')}</h2>
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="open-dictionary">
          <table class="data-dictionary">
            <thead>
              <tr>
                <th scope="col">{tr('openData.column')}</th>
                <th scope="col">{tr('openData.type')}</th>
                <th scope="col">{tr('openData.meaning')}</th>
              </tr>
            </thead>
            <tbody>
              {openDataColumns.map((c) => (
                <tr key={c.name}>
                  <th scope="row">
                    <code>{c.name}</code>
                  </th>
                  <td>{tr(c.type, { min: suppressionThreshold })}</td>
                  <td>{tr(c.meaning)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="open-licence">
        <h2 id="open-licence">{tr('openData.licence')}</h2>
        <p>
          {tr('openData.licence.text', { organization: ctx.organization })}{' '}
          <a href={ctx.lang === 'id' ? licenceUrl : licenceUrlEn} rel="license">
            Creative Commons Attribution 4.0 International (CC BY 4.0)
          </a>
          .
        </p>
      </section>
      <p>
        <a href={href(ctx, '/statistik')}>{tr('layout.nav.statistics')}</a>
      </p>
    </>
  );
}
