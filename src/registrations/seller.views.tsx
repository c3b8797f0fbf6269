// The verified seller's public page as it looks: whether the link is
// genuine, the account it vouches for exactly (bank, number), what the check
// says of that account now, and the name check's form and answer.
import { statusOf } from '../accounts/accounts.service.ts';
import { resultPath } from '../accounts/accounts.http.ts';
import { describedBy, FieldFrame } from '../http/form-fields.tsx';
import { formatAccountNumber, formatDate, providerLongName } from '../http/format.ts';
import { InfoIcon, ShieldIcon, WarningIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { ShareLinks } from '../http/share-links.tsx';
import { Time } from '../http/time.tsx';
import { t, tCount } from '../shared/messages.ts';
import { withWait } from '../shared/wait.ts';
import type { SellerLinkVerdict, VerifiedSellerView } from './registrations.service.ts';
import { businessTypeName } from './registrations.views.tsx';
import { nameCheckAnchor, sellerPagePath } from './registrations.paths.ts';
import type { NameCheckState } from './seller.form.ts';

export interface SellerPageProps {
  readonly ctx: PageContext;
  readonly verdict: SellerLinkVerdict;
  readonly signature: string;
  /** The public address to expect in the address bar; undefined when none is configured. */
  readonly host: string | undefined;
  /** The site's public origin, for the seller page's address to pass on. */
  readonly origin: string;
  readonly nameCheck?: NameCheckState | undefined;
}

/** A link that vouches for nothing (changed, or revoked): a warning, and the way to the check. */
function WarningVerdict(props: {
  ctx: PageContext;
  heading: string;
  subline?: string | undefined;
  warning: string;
  text: string;
}) {
  const tr = translator(props.ctx);
  return (
    <>
      <section class="status status-reported seller-verdict" aria-labelledby="verdict-heading">
        <h1 class="status-heading" id="verdict-heading">
          <WarningIcon />
          <span>{props.heading}</span>
        </h1>
        {props.subline && <p class="status-subline">{props.subline}</p>}
        <p class="warning">{props.warning}</p>
        <p>{props.text}</p>
      </section>
      <p class="actions">
        <a class="button" href={href(props.ctx, '/')}>
          {tr('seller.checkAccount')}
        </a>
      </p>
    </>
  );
}

function NotGenuine({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <WarningVerdict
      ctx={ctx}
      heading={tr('seller.notGenuine.heading')}
      warning={tr('seller.notGenuine.warning')}
      text={tr('seller.notGenuine.text')}
    />
  );
}

function Revoked({ ctx, revokedAt }: { ctx: PageContext; revokedAt: Date | null }) {
  const tr = translator(ctx);
  return (
    <WarningVerdict
      ctx={ctx}
      heading={tr('seller.revoked.heading')}
      subline={
        revokedAt
          ? tr('seller.revoked.since', { date: formatDate(ctx.lang, revokedAt) })
          : undefined
      }
      warning={tr('seller.revoked.warning')}
      text={tr('seller.revoked.text')}
    />
  );
}

/** The check's facts next to the verification: a report and a verification are both shown. */
function AccountStatus({ ctx, seller }: { ctx: PageContext; seller: VerifiedSellerView }) {
  const tr = translator(ctx);
  const summary = seller.check.summary;
  const status = statusOf(summary);
  const resultLink = href(ctx, resultPath(seller.account));
  if (status === 'clear' || status === 'normalized') {
    return (
      <p>
        {tr('seller.account.noReports')} <a href={resultLink}>{tr('seller.account.checkLink')}</a>
      </p>
    );
  }
  return (
    <section class="status status-reported" aria-labelledby="reports-heading">
      <h2 class="status-heading" id="reports-heading">
        <WarningIcon />
        <span>
          {tr(status === 'disputed' ? 'seller.disputed.heading' : 'seller.reported.heading')}
        </span>
      </h2>
      {summary.verifiedCount > 0 && (
        <p class="status-subline">
          {tCount(ctx.lang, 'seller.reported.count', summary.verifiedCount)}
        </p>
      )}
      <p class="warning">{tr('seller.reported.warning')}</p>
      {seller.underRecheck && <p>{tr('seller.reported.recheck')}</p>}
      <p>
        <a href={resultLink}>{tr('seller.account.checkLink')}</a>
      </p>
    </section>
  );
}

function NameCheckResult({ ctx, state }: { ctx: PageContext; state: NameCheckState }) {
  const tr = translator(ctx);
  if (state.kind === 'limited') {
    return (
      <div class="notice notice-caution" role="status">
        <WarningIcon />
        <div>
          <p>{tr('seller.nameCheck.limited', withWait(ctx.lang, { seconds: state.seconds }))}</p>
        </div>
      </div>
    );
  }
  if (state.kind === 'invalid') return null;
  const tone = {
    match: 'status-seller',
    close_match: 'status-disputed',
    no_match: 'status-reported',
  }[state.result];
  return (
    <section
      class={`status ${tone} name-check-result`}
      aria-labelledby="name-result-heading"
      tabIndex={-1}
      autofocus
    >
      <h3 class="status-heading" id="name-result-heading">
        {state.result === 'match' ? <ShieldIcon /> : <WarningIcon />}
        <span>{tr(`seller.nameCheck.result.${state.result}`)}</span>
      </h3>
      <p>{tr(`seller.nameCheck.explain.${state.result}`, { name: state.given })}</p>
    </section>
  );
}

function NameCheck(props: {
  ctx: PageContext;
  seller: VerifiedSellerView;
  signature: string;
  state: NameCheckState | undefined;
}) {
  const { ctx, seller, state } = props;
  const tr = translator(ctx);
  const invalid = state?.kind === 'invalid';
  return (
    <section class="card name-check" id={nameCheckAnchor} aria-labelledby="name-check-title">
      <h2 id="name-check-title">{tr('seller.nameCheck.title')}</h2>
      <p>{tr('seller.nameCheck.lead')}</p>
      {state && <NameCheckResult ctx={ctx} state={state} />}
      <form method="post" action={href(ctx, `/penjual/${seller.publicId}/cek-nama`)} noValidate>
        <input type="hidden" name="sig" value={props.signature} />
        <FieldFrame
          name="nama"
          label={tr('seller.nameCheck.label')}
          hint={tr('seller.nameCheck.hint')}
          error={invalid ? tr('registration.nameCheck.required') : undefined}
        >
          <input
            type="text"
            id="nama"
            name="nama"
            value={state?.given.slice(0, 200) ?? ''}
            maxLength={200}
            autocomplete="off"
            spellcheck={false}
            required
            aria-invalid={invalid ? 'true' : undefined}
            aria-describedby={describedBy('nama', invalid)}
          />
        </FieldFrame>
        <button type="submit" class="button">
          {tr('seller.nameCheck.submit')}
        </button>
      </form>
      <p class="small">{tr('seller.nameCheck.privacy')}</p>
    </section>
  );
}

function Genuine(props: SellerPageProps & { seller: VerifiedSellerView }) {
  const { ctx, seller } = props;
  const tr = translator(ctx);
  const { account } = seller;
  return (
    <>
      <section class="status status-seller seller-verdict" aria-labelledby="verdict-heading">
        <p class="eyebrow">{tr('seller.eyebrow')}</p>
        <h1 class="status-heading" id="verdict-heading">
          <ShieldIcon />
          <span>{tr('seller.genuine.heading')}</span>
        </h1>
        <p>{tr('seller.genuine.text', { organization: ctx.organization })}</p>
        <div class="seller-account">
          <p class="account">
            <span class="account-provider">{providerLongName(account)}</span>
            <span class="account-number" id="seller-number">
              {formatAccountNumber(account)}
            </span>
          </p>
          <p class="account-meta">
            {account.provider.kind === 'bank'
              ? tr('seller.account.bankCode', { code: account.provider.code })
              : tr('seller.account.ewallet')}
            {' · '}
            {tr('seller.account.digits')} <code>{account.number}</code>
          </p>
        </div>
        <dl class="details facts">
          <dt>{tr('seller.holder')}</dt>
          <dd>{seller.holderName}</dd>
          <dt>{tr('seller.business')}</dt>
          <dd>{seller.businessName}</dd>
          <dt>{tr('seller.businessType')}</dt>
          <dd>{businessTypeName(ctx.lang, seller.businessType, seller.businessTypeOther)}</dd>
          <dt>{tr('seller.verifiedAt')}</dt>
          <dd>
            <Time ctx={ctx} date={seller.verifiedAt} />
          </dd>
        </dl>
      </section>
      <AccountStatus ctx={ctx} seller={seller} />
      <div class="notice notice-caution">
        <WarningIcon />
        <div>
          <p>
            <strong>{`${tr('seller.compare.title')}: `}</strong>
            {tr('seller.compare.text')}
          </p>
        </div>
      </div>
      <NameCheck ctx={ctx} seller={seller} signature={props.signature} state={props.nameCheck} />
      <section class="card" aria-labelledby="sure-title">
        <h2 id="sure-title">{tr('seller.sure.title')}</h2>
        <ul>
          <li>
            {props.host
              ? tr('seller.sure.address', { host: props.host })
              : tr('seller.sure.addressUnnamed', { organization: ctx.organization })}
          </li>
          <li>{tr('seller.sure.only')}</li>
          <li>{tr('seller.sure.escrow')}</li>
        </ul>
      </section>
      <div class="notice notice-info">
        <InfoIcon />
        <div>
          <p>{tr('seller.disclaimer')}</p>
        </div>
      </div>
      {/* The signed page itself, never a name check's answer. */}
      <ShareLinks
        lang={ctx.lang}
        url={new URL(sellerPagePath(seller.publicId, props.signature), props.origin).toString()}
        sentence={tr('seller.share.sentence')}
      />
    </>
  );
}

export function SellerPage(props: SellerPageProps) {
  const { verdict } = props;
  switch (verdict.state) {
    case 'genuine':
      return <Genuine {...props} seller={verdict.seller} />;
    case 'revoked':
      return <Revoked ctx={props.ctx} revokedAt={verdict.revokedAt} />;
    case 'not_genuine':
      return <NotGenuine ctx={props.ctx} />;
  }
}

export function titleOf(ctx: PageContext, verdict: SellerLinkVerdict): string {
  switch (verdict.state) {
    case 'genuine':
      return t(ctx.lang, 'seller.title.genuine', { business: verdict.seller.businessName });
    case 'revoked':
      return t(ctx.lang, 'seller.revoked.heading');
    case 'not_genuine':
      return t(ctx.lang, 'seller.notGenuine.heading');
  }
}
