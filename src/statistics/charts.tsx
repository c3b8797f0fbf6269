// Charts drawn on the server as SVG: no script, no inline style (the colours
// are classes of site.css), a viewBox that scales to the column, about as
// wide as a phone so that its text stays readable at 360 px. Each chart is an
// image named by its caption, with the same figures as a real table in a
// <details> beneath it; a suppressed cell is no bar, and "—" in the table.
import type { ComponentChildren } from 'preact';

export interface Series {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

export interface ChartText {
  readonly title: string;
  readonly description: string;
  /** "Tabel data". */
  readonly tableLabel: string;
  /** The header of the first column (the month, the category). */
  readonly firstColumn: string;
}

const width = 360;
const plot = { left: 44, right: 8, top: 10, bottom: 30 };
const barChartHeight = 220;
const seriesClasses = ['chart-s1', 'chart-s2', 'chart-s3'] as const;

export const dash = '—';

export function numberFormat(lang: 'id' | 'en'): (n: number) => string {
  const format = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB');
  return (n) => format.format(n);
}

/** A round top for the axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** Short axis label: 1.2 jt / 1.2M for large numbers. */
function axisLabel(n: number, lang: 'id' | 'en'): string {
  const units: [number, string, string][] = [
    [1e12, ' T', 'T'],
    [1e9, ' M', 'B'],
    [1e6, ' jt', 'M'],
    [1e3, ' rb', 'k'],
  ];
  for (const [size, id, en] of units) {
    if (n >= size) {
      const value = numberFormat(lang)(Math.round((n / size) * 10) / 10);
      return `${value}${lang === 'id' ? id : en}`;
    }
  }
  return numberFormat(lang)(n);
}

/** A month 'YYYY-MM' as '01/26', for the axis. */
function monthLabel(month: string): string {
  return `${month.slice(5, 7)}/${month.slice(2, 4)}`;
}

function Legend({ series }: { series: readonly Series[] }) {
  if (series.length < 2) return null;
  return (
    <ul class="chart-legend">
      {series.map((s, i) => (
        <li key={s.name}>
          <span
            class={`chart-swatch ${seriesClasses[i % seriesClasses.length]}`}
            aria-hidden="true"
          />
          {s.name}
        </li>
      ))}
    </ul>
  );
}

function Figure({
  id,
  text,
  children,
  table,
}: {
  id: string;
  text: ChartText;
  children: ComponentChildren;
  table: ComponentChildren;
}) {
  return (
    <figure class="chart" id={id} aria-labelledby={`${id}-title`}>
      <figcaption>
        <h2 id={`${id}-title`}>{text.title}</h2>
        <p id={`${id}-desc`} class="hint">
          {text.description}
        </p>
      </figcaption>
      {children}
      <details class="chart-data">
        <summary>{text.tableLabel}</summary>
        {/* A wide table scrolls in its own region, reachable by keyboard. */}
        <div
          class="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={`${text.tableLabel}: ${text.title}`}
        >
          {table}
        </div>
      </details>
    </figure>
  );
}

/** Months along the bottom, a group of bars per month (one per series). */
export function MonthBarChart({
  id,
  text,
  months,
  series,
  lang,
  extraColumns = [],
}: {
  id: string;
  text: ChartText;
  months: readonly string[];
  series: readonly Series[];
  lang: 'id' | 'en';
  /** Columns of the table only (e.g. a median next to a total). */
  extraColumns?: readonly Series[];
}) {
  const fmt = numberFormat(lang);
  const innerWidth = width - plot.left - plot.right;
  const innerHeight = barChartHeight - plot.top - plot.bottom;
  // At least 10, so that an empty or small chart's axis reads 0, 5, 10 rather than fractions.
  const max = niceCeiling(Math.max(10, ...series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const groupWidth = innerWidth / Math.max(1, months.length);
  const barWidth = Math.max(1, (groupWidth * 0.8) / series.length);
  const labelEvery = Math.max(1, Math.ceil(30 / groupWidth));
  const y = (v: number) => plot.top + innerHeight - (v / max) * innerHeight;
  const ticks = [0, max / 2, max];
  return (
    <Figure
      id={id}
      text={text}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">{text.firstColumn}</th>
              {[...series, ...extraColumns].map((s) => (
                <th scope="col" key={s.name}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((month, m) => (
              <tr key={month}>
                <th scope="row">{month}</th>
                {[...series, ...extraColumns].map((s) => {
                  const v = s.values[m];
                  return <td key={s.name}>{v == null ? dash : fmt(v)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <svg
        class="chart-svg"
        viewBox={`0 0 ${width} ${barChartHeight}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        focusable="false"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              class="chart-grid"
              x1={plot.left}
              x2={width - plot.right}
              y1={y(tick)}
              y2={y(tick)}
            />
            <text class="chart-axis" x={plot.left - 4} y={y(tick) + 4} text-anchor="end">
              {axisLabel(tick, lang)}
            </text>
          </g>
        ))}
        {months.map((month, m) => {
          const x0 = plot.left + m * groupWidth + groupWidth * 0.1;
          return (
            <g key={month}>
              {series.map((s, i) => {
                const v = s.values[m];
                if (v == null || v === 0) return null;
                return (
                  <rect
                    key={s.name}
                    class={seriesClasses[i % seriesClasses.length]}
                    x={x0 + i * barWidth}
                    y={y(v)}
                    width={barWidth}
                    height={plot.top + innerHeight - y(v)}
                  />
                );
              })}
              {m % labelEvery === 0 && (
                <text
                  class="chart-axis"
                  x={plot.left + m * groupWidth + groupWidth / 2}
                  y={barChartHeight - plot.bottom + 16}
                  text-anchor="middle"
                >
                  {monthLabel(month)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </Figure>
  );
}

/** One bar per row (a category), its name above it and its value at its end. */
export function RowBarChart({
  id,
  text,
  rows,
  lang,
  valueColumn,
}: {
  id: string;
  text: ChartText;
  rows: readonly { label: string; value: number | null }[];
  lang: 'id' | 'en';
  valueColumn: string;
}) {
  const fmt = numberFormat(lang);
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  return (
    <Figure
      id={id}
      text={text}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">{text.firstColumn}</th>
              <th scope="col">{valueColumn}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{r.value == null ? dash : fmt(r.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {/* The names as text of the page (they wrap at 360 px), each bar a small SVG of its own. */}
      <div
        class="row-chart"
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
      >
        {rows.map((r) => (
          <div class="row-chart-row" key={r.label}>
            <span class="row-chart-label">{r.label}</span>
            <span class="row-chart-bar">
              <svg
                viewBox="0 0 100 10"
                preserveAspectRatio="none"
                focusable="false"
                aria-hidden="true"
              >
                {r.value ? (
                  <rect class="chart-s1" x={0} y={0} width={(r.value / max) * 100} height={10} />
                ) : null}
              </svg>
              <span class="row-chart-value">{r.value == null ? dash : fmt(r.value)}</span>
            </span>
          </div>
        ))}
      </div>
    </Figure>
  );
}
