// /statistik (charts and tables), /data-terbuka (the open data page) and its
// files statistik.csv and statistik.json: public, answered from the monthly
// aggregates only; the files are cacheable (ETag, 304) like the API.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { rememberLanguage } from '../http/error-pages.tsx';
import { pageContext, sendPage } from '../http/layout.tsx';
import { matchesEtag } from '../accounts/range.routes.ts';
import { AppError } from '../shared/errors.ts';
import { t } from '../shared/messages.ts';
import { csvContentType, csvFileName, statisticsCsv } from './open-data.ts';
import { parsePeriod, type Period } from './period.ts';
import { statisticsCacheControl } from './statistics.routes.ts';
import type { StatisticsAnswer, StatisticsService } from './statistics.service.ts';
import { OpenDataPage, StatisticsPage } from './statistics.views.tsx';

export interface StatisticsPagesOptions {
  readonly statistics: Pick<
    StatisticsService,
    'read' | 'defaultPeriod' | 'dataPeriod' | 'rebuiltAt'
  >;
}

function queryText(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : '?';
}

function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: StatisticsAnswer,
  type: string,
  body: string,
  fileName: string,
  etagSuffix: string,
): FastifyReply {
  const etag = `${answer.etag.slice(0, -1)}-${etagSuffix}"`;
  void reply
    .header('etag', etag)
    .header('cache-control', statisticsCacheControl)
    .header(
      'content-disposition',
      `${type.startsWith('text/csv') ? 'attachment' : 'inline'}; filename="${fileName}"`,
    );
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.type(type).send(body);
}

export const statisticsPages: FastifyPluginAsync<StatisticsPagesOptions> = (
  app,
  { statistics },
) => {
  const page = { config: { page: true }, schema: { hide: true } } as const;
  const file = { schema: { hide: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  app.get('/statistik', page, async (request, reply) => {
    const ctx = pageContext(request);
    const values = { from: queryText(request, 'from') ?? '', to: queryText(request, 'to') ?? '' };
    const parsed = parsePeriod(values, statistics.defaultPeriod());
    const period: Period = parsed.ok ? parsed.period : statistics.defaultPeriod();
    const errors = new Map(parsed.ok ? [] : parsed.errors.map((e) => [e.field, e.reason]));
    const [answer, rebuiltAt] = await Promise.all([
      statistics.read(period.from, period.to),
      statistics.rebuiltAt(),
    ]);
    const shown = parsed.ok ? { from: period.from, to: period.to } : values;
    return sendPage(
      reply,
      ctx,
      { title: t(ctx.lang, 'statistics.title'), status: parsed.ok ? 200 : 400 },
      <StatisticsPage
        ctx={ctx}
        form={{ values: shown, errors }}
        period={period}
        statistics={answer.body}
        rebuiltAt={rebuiltAt}
      />,
    );
  });

  /** The files' period: as asked, or every month with figures (at most the last 120). */
  async function filePeriod(request: FastifyRequest): Promise<Period> {
    const from = queryText(request, 'from');
    const to = queryText(request, 'to');
    if (from === undefined && to === undefined) return statistics.dataPeriod();
    const parsed = parsePeriod({ from, to }, statistics.defaultPeriod());
    if (!parsed.ok) throw new AppError('validation_failed', { errors: parsed.errors });
    return parsed.period;
  }

  app.get('/data-terbuka', page, async (request, reply) => {
    const ctx = pageContext(request);
    const [period, rebuiltAt] = await Promise.all([
      statistics.dataPeriod(),
      statistics.rebuiltAt(),
    ]);
    return sendPage(
      reply,
      ctx,
      { title: t(ctx.lang, 'openData.title') },
      <OpenDataPage ctx={ctx} period={period} rebuiltAt={rebuiltAt} />,
    );
  });

  app.get('/data-terbuka/statistik.csv', file, async (request, reply) => {
    const period = await filePeriod(request);
    const answer = await statistics.read(period.from, period.to);
    return sendFile(
      request,
      reply,
      answer,
      csvContentType,
      statisticsCsv(answer),
      csvFileName(period.from, period.to),
      'csv',
    );
  });

  app.get('/data-terbuka/statistik.json', file, async (request, reply) => {
    const period = await filePeriod(request);
    const answer = await statistics.read(period.from, period.to);
    return sendFile(
      request,
      reply,
      answer,
      'application/json; charset=utf-8',
      answer.json,
      `cekrek-statistik-${period.from}-${period.to}.json`,
      'json',
    );
  });
  return Promise.resolve();
};
