// The verified seller's public page (/penjual/{id}?sig=…), where a buyer
// lands from the seller's link or QR code: whether the link is genuine, the
// account it vouches for exactly (bank, number), what the check says of that
// account now, and a name check that answers "match", "close match" or "no
// match" without revealing the name. Also the QR code and the badge images.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeString } from '../shared/text-input.ts';
import { resultPath } from '../accounts/accounts.form.ts';
import { statusOf } from '../accounts/accounts.service.ts';
import { formatAccountNumber, formatDate, isoDate, providerLongName } from '../http/format.ts';
import { ErrorIcon, InfoIcon, ShieldIcon, WarningIcon } from '../http/icons.tsx';
import {
  href,
  pageContext,
  publicOrigin,
  sendPage,
  translator,
  type PageContext,
} from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import { isAppError } from '../shared/errors.ts';
import { t, tCount } from '../shared/messages.ts';
import { genuineBadge, notVerifiedBadge, qrCodeSvg } from './badge.ts';
import type { NameMatch } from './name-match.ts';
import { sellerPagePath } from './registrations.paths.ts';
import { businessTypeName } from './registrations.pages.tsx';
import type {
  RegistrationsService,
  SellerLinkVerdict,
  VerifiedSellerView,
} from './registrations.service.ts';

type NameCheckState =
  | { readonly kind: 'result'; readonly given: string; readonly result: NameMatch }
  | { readonly kind: 'invalid'; readonly given: string }
  | { readonly kind: 'limited'; readonly given: string; readonly seconds: number };

interface SellerPageProps {
  readonly ctx: PageContext;
  readonly verdict: SellerLinkVerdict;
  readonly signature: string;
  readonly host: string;
  readonly nameCheck?: NameCheckState | undefined;
}

function Time({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time datetime={isoDate(date)}>{formatDate(ctx.lang, date)}</time>;
}

function NotGenuine({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <>
      <section class="status status-reported seller-verdict" aria-labelledby="verdict-heading">
        <h1 class="status-heading" id="verdict-heading">
          <WarningIcon />
          <span>{tr('seller.notGenuine.heading')}</span>
        </h1>
        <p class="warning">{tr('seller.notGenuine.warning')}</p>
        <p>{tr('seller.notGenuine.text')}</p>
      </section>
      <p class="actions">
        <a class="button" href={href(ctx, '/')}>
          {tr('seller.checkAccount')}
        </a>
      </p>
    </>
  );
}

function Revoked({ ctx, revokedAt }: { ctx: PageContext; revokedAt: Date | null }) {
  const tr = translator(ctx);
  return (
    <>
      <section class="status status-reported seller-verdict" aria-labelledby="verdict-heading">
        <h1 class="status-heading" id="verdict-heading">
          <WarningIcon />
          <span>{tr('seller.revoked.heading')}</span>
        </h1>
        {revokedAt && (
          <p class="status-subline">
            {tr('seller.revoked.since', { date: formatDate(ctx.lang, revokedAt) })}
          </p>
        )}
        <p class="warning">{tr('seller.revoked.warning')}</p>
        <p>{tr('seller.revoked.text')}</p>
      </section>
      <p class="actions">
        <a class="button" href={href(ctx, '/')}>
          {tr('seller.checkAccount')}
        </a>
      </p>
    </>
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
          <p>{tr('seller.nameCheck.limited', { seconds: state.seconds })}</p>
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
    <section class="card name-check" aria-labelledby="name-check-title">
      <h2 id="name-check-title">{tr('seller.nameCheck.title')}</h2>
      <p>{tr('seller.nameCheck.lead')}</p>
      {state && <NameCheckResult ctx={ctx} state={state} />}
      <form method="post" action={href(ctx, `/penjual/${seller.publicId}/cek-nama`)} noValidate>
        <input type="hidden" name="sig" value={props.signature} />
        <div class="field">
          <label for="nama">{tr('seller.nameCheck.label')}</label>
          <p class="hint" id="nama-hint">
            {tr('seller.nameCheck.hint')}
          </p>
          {invalid && (
            <p class="field-error" id="nama-error">
              <ErrorIcon />
              <span>{tr('registration.nameCheck.required')}</span>
            </p>
          )}
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
            aria-describedby={invalid ? 'nama-hint nama-error' : 'nama-hint'}
          />
        </div>
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
          <li>{tr('seller.sure.address', { host: props.host })}</li>
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
    </>
  );
}

function SellerPage(props: SellerPageProps) {
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

function titleOf(ctx: PageContext, verdict: SellerLinkVerdict): string {
  switch (verdict.state) {
    case 'genuine':
      return t(ctx.lang, 'seller.title.genuine', { business: verdict.seller.businessName });
    case 'revoked':
      return t(ctx.lang, 'seller.revoked.heading');
    case 'not_genuine':
      return t(ctx.lang, 'seller.notGenuine.heading');
  }
}

const statusOfVerdict = { genuine: 200, revoked: 410, not_genuine: 404 } as const;

function hostOf(request: FastifyRequest): string {
  return new URL(publicOrigin(request)).host;
}

function sendSellerPage(
  request: FastifyRequest,
  reply: FastifyReply,
  props: Omit<SellerPageProps, 'ctx' | 'host'>,
  status?: number,
) {
  const ctx = pageContext(request);
  // The language switch of a name check's answer goes back to the page itself.
  const switchCtx: PageContext = {
    ...ctx,
    query: new URLSearchParams(props.signature ? { sig: props.signature } : {}),
  };
  return sendPage(
    reply,
    switchCtx,
    // Never stored: a revocation must show the moment it happens.
    {
      title: titleOf(ctx, props.verdict),
      status: status ?? statusOfVerdict[props.verdict.state],
      private: true,
    },
    <SellerPage {...props} ctx={ctx} host={hostOf(request)} />,
  );
}

/** Images other sites may show (the badge on a shop): not bound to this origin. */
function sendImage(reply: FastifyReply, svg: string, maxAgeSeconds: number) {
  return reply
    .type('image/svg+xml; charset=utf-8')
    .header('cache-control', `public, max-age=${maxAgeSeconds}`)
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .header('vary', 'Accept-Language, Cookie')
    .send(svg);
}

const params = z.object({ publicId: safeString().max(40) });
// Loose: `lang` and the like stay in the query for the page to read.
const signatureQuery = z.looseObject({ sig: safeString().max(200).optional() });
const nameCheckBody = z.object({
  sig: safeString().max(200).optional(),
  nama: safeString().max(1000).optional(),
});

export interface SellerPagesOptions {
  readonly registrations: RegistrationsService;
}

export const sellerPages: FastifyPluginAsync<SellerPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { registrations } = options;
  const page = { config: { page: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  app.get(
    '/penjual/:publicId',
    { ...page, schema: { hide: true, params, querystring: signatureQuery } },
    async (request, reply) => {
      const signature = request.query.sig ?? '';
      const verdict = await registrations.verifySellerLink(request.params.publicId, signature);
      return sendSellerPage(request, reply, { verdict, signature });
    },
  );

  // A name check's answer is a POST; its address, opened again, is the page itself.
  app.get(
    '/penjual/:publicId/cek-nama',
    { ...page, schema: { hide: true, params, querystring: signatureQuery } },
    (request, reply) => {
      const path = sellerPagePath(request.params.publicId, request.query.sig ?? '');
      return reply.redirect(href(pageContext(request), path), 303);
    },
  );

  app.post(
    '/penjual/:publicId/cek-nama',
    { ...page, schema: { hide: true, params, body: nameCheckBody } },
    async (request, reply) => {
      const { publicId } = request.params;
      const signature = request.body?.sig ?? '';
      const given = (request.body?.nama ?? '').slice(0, 200);
      const verdict = await registrations.verifySellerLink(publicId, signature);
      if (verdict.state !== 'genuine')
        return sendSellerPage(request, reply, { verdict, signature });
      let nameCheck: NameCheckState;
      let status = 200;
      try {
        const { result } = await registrations.checkName(publicId, signature, given, request.ip);
        nameCheck = { kind: 'result', given, result };
      } catch (error) {
        if (!isAppError(error)) throw error;
        if (error.code === 'rate_limited') {
          const seconds = Number(error.params.seconds ?? 60);
          void reply.header('retry-after', String(seconds));
          nameCheck = { kind: 'limited', given, seconds };
          status = 429;
        } else if (error.code === 'validation_failed') {
          nameCheck = { kind: 'invalid', given };
          status = 400;
        } else {
          throw error;
        }
      }
      return sendSellerPage(request, reply, { verdict, signature, nameCheck }, status);
    },
  );

  app.get(
    '/penjual/:publicId/qr.svg',
    { ...page, schema: { hide: true, params, querystring: signatureQuery } },
    async (request, reply) => {
      const { publicId } = request.params;
      const signature = request.query.sig ?? '';
      const verdict = await registrations.verifySellerLink(publicId, signature);
      if (verdict.state !== 'genuine') return reply.callNotFound();
      const path = sellerPagePath(publicId, signature);
      const url = new URL(path, publicOrigin(request));
      return sendImage(reply, await qrCodeSvg(url.toString()), 3600);
    },
  );

  app.get(
    '/penjual/:publicId/lencana.svg',
    { ...page, schema: { hide: true, params, querystring: signatureQuery } },
    async (request, reply) => {
      const verdict = await registrations.verifySellerLink(
        request.params.publicId,
        request.query.sig ?? '',
      );
      const svg =
        verdict.state === 'genuine'
          ? genuineBadge(request.lang, verdict.seller)
          : notVerifiedBadge(request.lang);
      // Short-lived: a revocation reaches every shop that shows the badge within minutes.
      return sendImage(reply, svg, 300);
    },
  );
  return Promise.resolve();
};
