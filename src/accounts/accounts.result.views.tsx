// The public check's result page as it looks (/rekening/{provider}/{number}):
// the account, what the check says of it (clear, reported, disputed,
// normalized, a verified seller, with the way to the seller's name check),
// what to do next, the links to share it, and the page that says the check
// could not be sure.
import type { ComponentChildren } from 'preact';
import type { AccountRef } from '../shared/account-number.ts';
import { categoryName, isCategoryCode } from '../shared/categories.ts';
import { t, tCount } from '../shared/messages.ts';
import { formatAccountNumber, formatDate, providerLongName } from '../http/format.ts';
import { ClockIcon, InfoIcon, RestoreIcon, ShieldIcon, WarningIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { ShareLinks } from '../http/share-links.tsx';
import { Time } from '../http/time.tsx';
import { sellerOfAccountPath } from './accounts.http.ts';
import type { CheckBucket, CheckResult } from './check.ts';

export function statusWords(ctx: PageContext, result: CheckResult): string {
  const words = t(ctx.lang, `result.status.${result.status}`);
  return result.summary.verifiedSeller
    ? `${words} · ${t(ctx.lang, 'result.seller.heading')}`
    : words;
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
      <p>{tr('result.seller.nameCheck.text')}</p>
      <p>
        <a
          class="button button-secondary"
          id="seller-name-check"
          href={href(ctx, sellerOfAccountPath(result.account))}
        >
          {tr('result.seller.nameCheck')}
        </a>
      </p>
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

/** The account the page is about, as its bank or e-wallet and number are read aloud. */
function AccountHeading({ ctx, account }: { ctx: PageContext; account: AccountRef }) {
  return (
    <>
      <p class="eyebrow">{translator(ctx)('result.eyebrow')}</p>
      <h1 class="account">
        <span class="account-provider">{providerLongName(account)}</span>
        <span class="account-number">{formatAccountNumber(account)}</span>
      </h1>
    </>
  );
}

/** How many distinct clients checked the account lately, and why only so roughly. */
function CheckedByNote({ ctx, checkedBy }: { ctx: PageContext; checkedBy: CheckBucket }) {
  const tr = translator(ctx);
  return (
    <section class="checked-by" aria-labelledby="checked-by-title">
      <h2 id="checked-by-title">{tr('checked.heading')}</h2>
      <p data-checked={checkedBy}>{tr(`checked.${checkedBy}`)}</p>
      <p class="small">{tr('checked.note')}</p>
    </section>
  );
}

export function ResultPage({
  ctx,
  result,
  checkedBy = 'none',
  shareUrl,
}: {
  ctx: PageContext;
  result: CheckResult;
  /** Distinct clients of the last 30 days, in coarse steps. */
  checkedBy?: CheckBucket;
  /** The result page's address on the public origin: the account in the path, nothing else. */
  shareUrl: string;
}) {
  const tr = translator(ctx);
  const { account, summary } = result;
  const warned = result.status === 'reported' || result.status === 'disputed';
  // A verified seller without reports leads with the seller; any report comes first.
  const sellerFirst = result.status === 'clear' && summary.verifiedSeller !== null;
  return (
    <>
      {summary.demo && <DemoNotice ctx={ctx} />}
      <AccountHeading ctx={ctx} account={account} />
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
      <CheckedByNote ctx={ctx} checkedBy={checkedBy} />
      <ShareLinks lang={ctx.lang} url={shareUrl} sentence={tr('result.share.sentence')} />
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
export function UnavailablePage({
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
      <AccountHeading ctx={ctx} account={account} />
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

export function resultTitle(ctx: PageContext, result: CheckResult): string {
  const title = t(ctx.lang, 'result.title', {
    provider: result.account.provider.shortName,
    number: formatAccountNumber(result.account),
    status: statusWords(ctx, result),
  });
  return result.summary.demo ? `[${t(ctx.lang, 'result.demo.badge')}] ${title}` : title;
}

/** The unavailable page's title: the account, and that the check could not answer. */
export function unavailableTitle(ctx: PageContext, account: AccountRef): string {
  return t(ctx.lang, 'result.title', {
    provider: account.provider.shortName,
    number: formatAccountNumber(account),
    status: t(ctx.lang, 'result.unavailable.heading'),
  });
}
