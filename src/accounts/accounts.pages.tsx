// The public check: the home page with its form, /cek (the form's target),
// and the result page /rekening/{provider}/{number}. The result comes from the
// same check service, under the same rate limit, as the API.
import { rememberLanguage } from '../http/error-pages.tsx';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeString } from '../shared/text-input.ts';
import { href, pageContext, sendPage, translator, type PageContext } from '../http/layout.tsx';
import {
  ClockIcon,
  ErrorIcon,
  InfoIcon,
  RestoreIcon,
  ShieldIcon,
  WarningIcon,
} from '../http/icons.tsx';
import { formatAccountNumber, formatDate, isoDate, providerLongName } from '../http/format.ts';
import { t, tCount, translateReason } from '../shared/messages.ts';
import { toAccountRef, type AccountRef } from '../shared/account-number.ts';
import {
  checkFormFields,
  emptyCheckForm,
  readCheckForm,
  resolveCheckForm,
  resultPath,
  valuesFromPath,
  type CheckFormError,
  type CheckFormField,
  type CheckFormValues,
} from './accounts.form.ts';
import { categoryName, isCategoryCode } from '../shared/categories.ts';
import type { CheckResult } from './check.ts';
import type { CheckService } from './check.service.ts';
import { demoAccounts } from './demo.ts';
import { asUnavailable, retryAfterSeconds } from '../http/outage.ts';
import { limitedBy } from '../http/replies.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { providers } from '../shared/providers.ts';

const banks = providers.all.filter((p) => p.kind === 'bank');
const ewallets = providers.all.filter((p) => p.kind === 'ewallet');

/** "014 · BCA — Bank Central Asia": providers.resolveLabel reads it back by its code. */
const bankLabels = banks.map((p) =>
  p.shortName === p.name ? `${p.code} · ${p.name}` : `${p.code} · ${p.shortName} — ${p.name}`,
);

/** Form values echoed back are cut here: nobody types more, and pages stay small. */
const maxEcho = 200;

const demoRefs = demoAccounts.map((d) => toAccountRef(d.provider, d.number));

/**
 * The demo accounts to suggest: only those the database really holds as demo
 * data (asked of the check service, so a production database that never had
 * demo data, or had it removed, suggests nothing).
 */
async function demoExamples(checks: CheckService): Promise<CheckResult[]> {
  // Suggestions only: the form must not fail when the check cannot answer.
  const answers = await Promise.all(
    demoRefs.map(async (ref) => {
      try {
        return (await checks.check(ref)).result;
      } catch {
        return undefined;
      }
    }),
  );
  return answers.filter((r): r is CheckResult => r?.summary.demo === true);
}

// ---------------------------------------------------------------------------
// The home page and its form

function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <p class="field-error" id={id}>
      <ErrorIcon />
      <span>{message}</span>
    </p>
  );
}

interface FormProps {
  readonly ctx: PageContext;
  readonly values: CheckFormValues;
  readonly errors: ReadonlyMap<CheckFormField, string>;
}

/** aria-describedby of a field: its hint, then its error when it has one. */
function describedBy(field: CheckFormField, errors: FormProps['errors'], hint = true) {
  const ids = [hint ? `${field}-hint` : '', errors.has(field) ? `${field}-error` : ''];
  return ids.filter(Boolean).join(' ') || undefined;
}

function CheckForm({ ctx, values, errors }: FormProps) {
  const tr = translator(ctx);
  const invalid = (field: CheckFormField) => (errors.has(field) ? 'true' : undefined);
  const error = (field: CheckFormField) => {
    const message = errors.get(field);
    return message ? <FieldError id={`${field}-error`} message={message} /> : null;
  };
  return (
    <form class="check-form card" method="get" action="/cek" aria-label={tr('home.form.label')}>
      <fieldset class="kind">
        <legend>{tr('home.form.kind')}</legend>
        <div class="choices">
          <label class="choice" for="jenis-bank">
            <input
              type="radio"
              id="jenis-bank"
              name="jenis"
              value="bank"
              checked={values.kind === 'bank'}
            />
            {tr('home.form.kind.bank')}
          </label>
          <label class="choice" for="jenis-ewallet">
            <input
              type="radio"
              id="jenis-ewallet"
              name="jenis"
              value="ewallet"
              checked={values.kind === 'ewallet'}
            />
            {tr('home.form.kind.ewallet')}
          </label>
        </div>
      </fieldset>

      <div class="field field-bank">
        <label for="bank">{tr('home.form.bank')}</label>
        <p class="hint" id="bank-hint">
          {tr('home.form.bank.hint')}
        </p>
        {error('bank')}
        <input
          type="text"
          id="bank"
          name="bank"
          list="bank-list"
          autocomplete="off"
          spellcheck={false}
          value={values.bank.slice(0, maxEcho)}
          aria-invalid={invalid('bank')}
          aria-describedby={describedBy('bank', errors)}
        />
        <datalist id="bank-list">
          {bankLabels.map((label) => (
            <option key={label} value={label} />
          ))}
        </datalist>
      </div>

      <div class="field field-ewallet">
        <label for="ewallet">{tr('home.form.ewallet')}</label>
        {error('ewallet')}
        <select
          id="ewallet"
          name="ewallet"
          aria-invalid={invalid('ewallet')}
          aria-describedby={describedBy('ewallet', errors, false)}
        >
          <option value="" selected={!ewallets.some((p) => p.code === values.ewallet)}>
            {tr('home.form.ewallet.choose')}
          </option>
          {ewallets.map((p) => (
            <option key={p.code} value={p.code} selected={p.code === values.ewallet}>
              {p.shortName}
            </option>
          ))}
        </select>
      </div>

      <div class="field">
        <label for="number">{tr('home.form.number')}</label>
        <p class="hint" id="number-hint">
          {tr('home.form.number.hint')}
        </p>
        {error('number')}
        <input
          type="text"
          class="number-input"
          id="number"
          name="nomor"
          inputmode="numeric"
          autocomplete="off"
          spellcheck={false}
          value={values.number.slice(0, maxEcho)}
          aria-invalid={invalid('number')}
          aria-describedby={describedBy('number', errors)}
        />
      </div>

      {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
      <button type="submit" class="button button-block">
        {tr('home.form.submit')}
      </button>
    </form>
  );
}

function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: readonly CheckFormError[] }) {
  const tr = translator(ctx);
  // Focused on load (autofocus, no script), so screen readers start at what to fix.
  return (
    <section class="error-summary" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
      <h2 id="error-summary-title">
        <ErrorIcon />
        {tr('home.errors.title')}
      </h2>
      <ul>
        {errors.map((e) => (
          <li key={e.field}>
            <a href={`#${e.field}`}>{translateReason(ctx.lang, e.reason)}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function statusWords(ctx: PageContext, result: CheckResult): string {
  const words = t(ctx.lang, `result.status.${result.status}`);
  return result.summary.verifiedSeller
    ? `${words} · ${t(ctx.lang, 'result.seller.heading')}`
    : words;
}

function DemoList({ ctx, examples }: { ctx: PageContext; examples: readonly CheckResult[] }) {
  const tr = translator(ctx);
  return (
    <section class="demo" aria-labelledby="demo-title">
      <p>
        <span class="demo-badge">{tr('result.demo.badge')}</span>
      </p>
      <h2 id="demo-title">{tr('home.demo.title')}</h2>
      <p>{tr('home.demo.text')}</p>
      <ul class="demo-list">
        {examples.map((r) => (
          <li key={r.account.key}>
            <a href={href(ctx, resultPath(r.account))}>
              {`${r.account.provider.shortName} ${formatAccountNumber(r.account)}`}
            </a>
            {` — ${statusWords(ctx, r)}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

interface HomeProps {
  readonly ctx: PageContext;
  readonly values: CheckFormValues;
  readonly errors: readonly CheckFormError[];
  readonly demo: readonly CheckResult[];
}

function HomePage({ ctx, values, errors, demo }: HomeProps) {
  const tr = translator(ctx);
  const messages = new Map(errors.map((e) => [e.field, translateReason(ctx.lang, e.reason)]));
  return (
    <>
      <h1>{tr('home.heading')}</h1>
      <p class="lead">{tr('home.lead')}</p>
      {errors.length > 0 && <ErrorSummary ctx={ctx} errors={errors} />}
      <CheckForm ctx={ctx} values={values} errors={messages} />
      <div class="notice notice-caution">
        <WarningIcon />
        <div>
          <p>
            <strong>{`${tr('home.caution.title')}: `}</strong>
            {tr('home.caution')}
          </p>
        </div>
      </div>
      {demo.length > 0 && <DemoList ctx={ctx} examples={demo} />}
      <section aria-labelledby="what-title">
        <h2 id="what-title">{tr('home.what.title')}</h2>
        <p>{tr('home.what.text')}</p>
        <p>
          <a href={href(ctx, '/tentang')}>{tr('home.what.more')}</a>
        </p>
      </section>
    </>
  );
}

// ---------------------------------------------------------------------------
// The result page

function Time({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time datetime={isoDate(date)}>{formatDate(ctx.lang, date)}</time>;
}

/** Categories with their counts (most reported first) and the first and last report dates. */
function ReportFacts({ ctx, result }: { ctx: PageContext; result: CheckResult }) {
  const tr = translator(ctx);
  const { summary } = result;
  const categories = Object.entries(summary.categoryCounts)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return (
    <div class="facts">
      {categories.length > 0 && (
        <>
          <h3>{tr('result.categories')}</h3>
          <ul>
            {categories.map(([code, count]) => (
              <li key={code}>
                <span>{isCategoryCode(code) ? categoryName(code, ctx.lang) : code}</span>
                <span class="count">{tCount(ctx.lang, 'result.category.count', count)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <dl class="details">
        {summary.firstReportedAt && (
          <>
            <dt>{tr('result.firstReported')}</dt>
            <dd>
              <Time ctx={ctx} date={summary.firstReportedAt} />
            </dd>
          </>
        )}
        {summary.lastReportedAt && (
          <>
            <dt>{tr('result.lastReported')}</dt>
            <dd>
              <Time ctx={ctx} date={summary.lastReportedAt} />
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function StatusHeading({ icon, text }: { icon: ComponentChildren; text: string }) {
  return (
    <h2 class="status-heading" id="status-heading">
      {icon}
      <span>{text}</span>
    </h2>
  );
}

function StatusPanel({ ctx, result }: { ctx: PageContext; result: CheckResult }) {
  const tr = translator(ctx);
  const { summary } = result;
  const count = tCount(ctx.lang, 'result.reports.count', summary.verifiedCount);
  const panel = (children: ComponentChildren) => (
    <section class={`status status-${result.status}`} aria-labelledby="status-heading">
      {children}
    </section>
  );
  switch (result.status) {
    case 'clear':
      return panel(
        <>
          <StatusHeading icon={<InfoIcon />} text={tr('result.status.clear')} />
          <p>{tr('result.clear.text')}</p>
        </>,
      );
    case 'reported':
      return panel(
        <>
          <StatusHeading icon={<WarningIcon />} text={tr('result.status.reported')} />
          <p class="status-subline">{count}</p>
          <p class="warning">{tr('result.reported.warning')}</p>
          <p>{tr('result.reported.text')}</p>
          <ReportFacts ctx={ctx} result={result} />
          {summary.normalizedAt && (
            <p>
              {tr('result.reported.wasNormalized', {
                date: formatDate(ctx.lang, summary.normalizedAt),
              })}
            </p>
          )}
        </>,
      );
    case 'disputed':
      return panel(
        <>
          <StatusHeading icon={<ClockIcon />} text={tr('result.status.disputed')} />
          {summary.disputeSince && (
            <p class="status-subline">
              {tr('result.disputed.since', { date: formatDate(ctx.lang, summary.disputeSince) })}
            </p>
          )}
          <p>{tr('result.disputed.text')}</p>
          {summary.verifiedCount > 0 && (
            <>
              <p class="status-subline">{count}</p>
              <ReportFacts ctx={ctx} result={result} />
            </>
          )}
        </>,
      );
    case 'normalized':
      return panel(
        <>
          <StatusHeading icon={<RestoreIcon />} text={tr('result.status.normalized')} />
          {summary.normalizedAt && (
            <p class="status-subline">
              {tr('result.normalized.date', { date: formatDate(ctx.lang, summary.normalizedAt) })}
            </p>
          )}
          <p>{tr('result.normalized.text')}</p>
        </>,
      );
  }
}

function SellerPanel({ ctx, result }: { ctx: PageContext; result: CheckResult }) {
  const tr = translator(ctx);
  const seller = result.summary.verifiedSeller;
  if (!seller) return null;
  return (
    <section class="status status-seller" aria-labelledby="seller-heading">
      <h2 class="status-heading" id="seller-heading">
        <ShieldIcon />
        <span>{tr('result.seller.heading')}</span>
      </h2>
      {result.summary.verifiedCount > 0 && (
        <p class="warning">{tr('result.seller.alsoReported')}</p>
      )}
      <p>{tr('result.seller.text')}</p>
      <dl class="details facts">
        <dt>{tr('result.seller.business')}</dt>
        <dd>{seller.businessName}</dd>
        <dt>{tr('result.seller.holder')}</dt>
        <dd>{seller.holderName}</dd>
        <dt>{tr('result.seller.verifiedAt')}</dt>
        <dd>
          <Time ctx={ctx} date={seller.verifiedAt} />
        </dd>
      </dl>
    </section>
  );
}

function UnusualLengthNote({ ctx, result }: { ctx: PageContext; result: CheckResult }) {
  const { account } = result;
  const expected = account.provider.numberLength;
  if (!account.unusualLength || !expected) return null;
  const range =
    expected.min === expected.max ? `${expected.min}` : `${expected.min}–${expected.max}`;
  return (
    <div class="notice notice-info">
      <InfoIcon />
      <div>
        <p>
          {t(ctx.lang, 'result.unusualLength', {
            length: account.number.length,
            bank: account.provider.shortName,
            expected: range,
          })}
        </p>
      </div>
    </div>
  );
}

function Tips({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <section class="card tips" aria-labelledby="tips-title">
      <h2 id="tips-title">{tr('result.tips.title')}</h2>
      <ul>
        <li>{tr('result.tips.name')}</li>
        <li>{tr('result.tips.escrow')}</li>
        <li>{tr('result.tips.pressure')}</li>
        <li>{tr('result.tips.otp')}</li>
      </ul>
    </section>
  );
}

function VictimHelp({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="victim-title">
      <h2 id="victim-title">{tr('result.victim.title')}</h2>
      <p>{tr('result.victim.text')}</p>
      <p>
        <a href={href(ctx, '/tentang#kontak')}>{tr('result.victim.contact')}</a>
      </p>
    </section>
  );
}

function DemoNotice({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <div class="demo" role="note">
      <p>
        <span class="demo-badge">{tr('result.demo.badge')}</span>
      </p>
      <p>
        <strong>{tr('result.demo.text')}</strong>
      </p>
    </div>
  );
}

function ResultPage({ ctx, result }: { ctx: PageContext; result: CheckResult }) {
  const tr = translator(ctx);
  const { account, summary } = result;
  const warned = result.status === 'reported' || result.status === 'disputed';
  // A verified seller without reports leads with the seller; any report comes first.
  const sellerFirst = result.status === 'clear' && summary.verifiedSeller !== null;
  return (
    <>
      {summary.demo && <DemoNotice ctx={ctx} />}
      <p class="eyebrow">{tr('result.eyebrow')}</p>
      <h1 class="account">
        <span class="account-provider">{providerLongName(account)}</span>
        <span class="account-number">{formatAccountNumber(account)}</span>
      </h1>
      <p class="account-meta">
        {account.provider.kind === 'bank'
          ? tr('result.bankCode', { code: account.provider.code })
          : tr('result.ewallet')}
      </p>
      <UnusualLengthNote ctx={ctx} result={result} />
      {sellerFirst && <SellerPanel ctx={ctx} result={result} />}
      <StatusPanel ctx={ctx} result={result} />
      {warned && <NormalizationNote ctx={ctx} account={account} />}
      {!sellerFirst && <SellerPanel ctx={ctx} result={result} />}
      {warned ? <VictimHelp ctx={ctx} /> : <Tips ctx={ctx} />}
      <p class="small">{tr('result.privacy')}</p>
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, '/')}>
          {tr('result.checkAnother')}
        </a>{' '}
        <a class="button button-secondary" href={href(ctx, reportHref(account))}>
          {tr('result.reportThis')}
        </a>
      </p>
    </>
  );
}

/**
 * The check could not be sure of its answer (the database or its change feed
 * is unreachable): say so, and never anything that reads as "no reports".
 */
function UnavailablePage({
  ctx,
  account,
  seconds,
  retry,
}: {
  ctx: PageContext;
  account: AccountRef;
  seconds: number;
  retry: string;
}) {
  const tr = translator(ctx);
  return (
    <>
      <p class="eyebrow">{tr('result.eyebrow')}</p>
      <h1 class="account">
        <span class="account-provider">{providerLongName(account)}</span>
        <span class="account-number">{formatAccountNumber(account)}</span>
      </h1>
      <section class="status status-unavailable" aria-labelledby="status-heading">
        <StatusHeading icon={<WarningIcon />} text={tr('result.unavailable.heading')} />
        <p>{tr('result.unavailable.text', { seconds })}</p>
      </section>
      <p class="actions">
        <a class="button" href={retry}>
          {tr('result.unavailable.retry')}
        </a>{' '}
        <a class="button button-secondary" href={href(ctx, '/')}>
          {tr('result.checkAnother')}
        </a>
      </p>
    </>
  );
}

/** For the owner of a reported or disputed account: the normalization request, account filled in. */
function NormalizationNote({
  ctx,
  account,
}: {
  ctx: PageContext;
  account: CheckResult['account'];
}) {
  const tr = translator(ctx);
  const query = new URLSearchParams({ bank: account.provider.code, nomor: account.number });
  return (
    <p class="owner-note">
      {tr('normalizationLink.text')}{' '}
      <a href={href(ctx, `/normalisasi?${query.toString()}`)}>{tr('normalizationLink.link')}</a>
    </p>
  );
}

/** The report form with this account filled in. */
function reportHref(account: CheckResult['account']): string {
  return `/lapor?${new URLSearchParams({ bank: account.provider.code, nomor: account.number }).toString()}`;
}

function resultTitle(ctx: PageContext, result: CheckResult): string {
  const title = t(ctx.lang, 'result.title', {
    provider: result.account.provider.shortName,
    number: formatAccountNumber(result.account),
    status: statusWords(ctx, result),
  });
  return result.summary.demo ? `[${t(ctx.lang, 'result.demo.badge')}] ${title}` : title;
}

// ---------------------------------------------------------------------------
// Routes

function sendUnavailable(
  reply: FastifyReply,
  ctx: PageContext,
  account: AccountRef,
  seconds: number,
): FastifyReply {
  const title = t(ctx.lang, 'result.title', {
    provider: account.provider.shortName,
    number: formatAccountNumber(account),
    status: t(ctx.lang, 'result.unavailable.heading'),
  });
  void reply.header('retry-after', String(seconds));
  return sendPage(
    reply,
    ctx,
    { title, status: 503, private: true },
    <UnavailablePage
      ctx={ctx}
      account={account}
      seconds={seconds}
      retry={href(ctx, resultPath(account))}
    />,
  );
}

async function sendHome(
  checks: CheckService,
  request: FastifyRequest,
  reply: FastifyReply,
  form: { values: CheckFormValues; errors: readonly CheckFormError[] },
) {
  const ctx = pageContext(request);
  const demo = await demoExamples(checks);
  const failed = form.errors.length > 0;
  const title = failed
    ? t(ctx.lang, 'home.errors.pageTitle', { title: t(ctx.lang, 'home.title') })
    : t(ctx.lang, 'home.title');
  return sendPage(
    reply,
    ctx,
    { title, status: failed ? 400 : 200, private: failed },
    <HomePage ctx={ctx} values={form.values} errors={form.errors} demo={demo} />,
  );
}

export interface AccountPagesOptions {
  readonly checks: CheckService;
  /** Checks per client, shared with the API (undefined when off). */
  readonly checkLimiter: RateLimiter | undefined;
}

export const accountPages: FastifyPluginAsync<AccountPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { checks } = options;
  // Pages answer errors as HTML (see wantsHtml) and stay out of the API document.
  const page = { config: { page: true }, schema: { hide: true } } as const;
  const limited = { onRequest: limitedBy(options.checkLimiter) };
  app.addHook('onRequest', rememberLanguage);

  app.get('/', page, (request, reply) =>
    sendHome(checks, request, reply, { values: emptyCheckForm, errors: [] }),
  );

  // Not limited: it only redirects, and the result page it leads to counts the check.
  app.get('/cek', page, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const ctx = pageContext(request);
    // Opened without the form (a bookmark, a typed address): just show the form.
    if (!checkFormFields.some((field) => field in query))
      return reply.redirect(href(ctx, '/'), 303);
    const values = readCheckForm(query);
    const outcome = resolveCheckForm(values);
    if ('errors' in outcome)
      return sendHome(checks, request, reply, { values, errors: outcome.errors });
    return reply.redirect(href(ctx, resultPath(outcome.account)), 303);
  });

  app.get(
    '/rekening/:provider/:number',
    {
      ...page,
      ...limited,
      schema: { hide: true, params: z.object({ provider: safeString(), number: safeString() }) },
    },
    async (request, reply) => {
      const { provider, number } = request.params;
      const values = valuesFromPath(provider, number);
      const outcome = resolveCheckForm(values);
      if ('errors' in outcome)
        return sendHome(checks, request, reply, { values, errors: outcome.errors });
      const { account } = outcome;
      const ctx = pageContext(request);
      // One URL per account (aliases, spaces, dashes, 0812… all lead to it).
      if (provider !== account.provider.code || number !== account.number) {
        return reply.redirect(href(ctx, resultPath(account)), 308);
      }
      let result: CheckResult;
      try {
        ({ result } = await checks.check(account));
      } catch (error) {
        const unavailable = asUnavailable(error);
        if (!unavailable) throw error;
        request.server.outages.note(unavailable);
        return sendUnavailable(reply, ctx, account, retryAfterSeconds(unavailable));
      }
      return sendPage(
        reply,
        ctx,
        { title: resultTitle(ctx, result), private: true },
        <ResultPage ctx={ctx} result={result} />,
      );
    },
  );
  return Promise.resolve();
};
