// The verified seller's public page (/penjual/{id}?sig=…), where a buyer
// lands from the seller's link or QR code: whether the link is genuine, the
// account it vouches for exactly (bank, number), what the check says of that
// account now, and a name check that answers "match", "close match" or "no
// match" without revealing the name. Also the QR code (SVG and PNG, to show
// or to download) and the badge images, and the way from an account's check
// result to its verified seller's page.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { resultPath } from '../accounts/accounts.http.ts';
import { href, pageContext, publicOrigin, sendPage, type PageContext } from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import { toAccountRef, type AccountRef } from '../shared/account-number.ts';
import { isAppError } from '../shared/errors.ts';
import { genuineBadge, notVerifiedBadge, qrCodePng, qrCodeSvg } from './badge.views.ts';
import { nameCheckAnchor, sellerPagePath } from './registrations.paths.ts';
import type { RegistrationsService } from './registrations.service.ts';
import {
  accountParams,
  nameCheckBody,
  params,
  signatureQuery,
  type NameCheckState,
} from './seller.form.ts';
import { SellerPage, titleOf, type SellerPageProps } from './seller.views.tsx';

const statusOfVerdict = { genuine: 200, revoked: 410, not_genuine: 404 } as const;

/** Names no buyer could ever see in their address bar: a machine's own or a test host. */
export function isDevelopmentHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name.endsWith('.test') ||
    name.endsWith('.local') ||
    name === '::1' ||
    name === '0.0.0.0' ||
    /^127\./.test(name)
  );
}

/**
 * The address a buyer should see in the address bar: the configured public
 * one only. Unset (or a development host), the page names none rather than
 * teach buyers to trust whatever host it happened to be opened at.
 */
function expectedHost(request: FastifyRequest): string | undefined {
  const configured = request.server.site.publicBaseUrl;
  if (!configured) return undefined;
  const url = new URL(configured);
  return isDevelopmentHost(url.hostname) ? undefined : url.host;
}

function sendSellerPage(
  request: FastifyRequest,
  reply: FastifyReply,
  props: Omit<SellerPageProps, 'ctx' | 'host' | 'origin'>,
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
    <SellerPage {...props} ctx={ctx} host={expectedHost(request)} origin={publicOrigin(request)} />,
  );
}

const svgType = 'image/svg+xml; charset=utf-8';

/** Images other sites may show (the badge on a shop): not bound to this origin. */
function sendImage(
  reply: FastifyReply,
  image: { readonly type: string; readonly body: string | Buffer },
  maxAgeSeconds: number,
) {
  return reply
    .type(image.type)
    .header('cache-control', `public, max-age=${maxAgeSeconds}`)
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .header('vary', 'Accept-Language, Cookie')
    .send(image.body);
}

/** `?unduh=1`: the browser saves the image under a name that says what it is. */
function offerAsFile(unduh: string | undefined, reply: FastifyReply, fileName: string): void {
  if (unduh === '1') {
    void reply.header('content-disposition', `attachment; filename="${fileName}"`);
  }
}

/** The seller page's address as the QR code holds it: on the public origin, signed. */
function publicSellerUrl(request: FastifyRequest, publicId: string, signature: string): string {
  return new URL(sellerPagePath(publicId, signature), publicOrigin(request)).toString();
}

/** The account named by a result page's path, or undefined when it names none. */
function accountOf(provider: string, number: string): AccountRef | undefined {
  try {
    return toAccountRef(provider, number);
  } catch (error) {
    if (isAppError(error)) return undefined;
    throw error;
  }
}

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

  for (const format of ['svg', 'png'] as const) {
    app.get(
      `/penjual/:publicId/qr.${format}`,
      { ...page, schema: { hide: true, params, querystring: signatureQuery } },
      async (request, reply) => {
        const { publicId } = request.params;
        const signature = request.query.sig ?? '';
        const verdict = await registrations.verifySellerLink(publicId, signature);
        if (verdict.state !== 'genuine') return reply.callNotFound();
        const url = publicSellerUrl(request, publicId, signature);
        offerAsFile(request.query.unduh, reply, `qr-penjual-${publicId}.${format}`);
        const image =
          format === 'svg'
            ? { type: svgType, body: await qrCodeSvg(url) }
            : { type: 'image/png', body: await qrCodePng(url) };
        return sendImage(reply, image, 3600);
      },
    );
  }

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
      return sendImage(reply, { type: svgType, body: svg }, 300);
    },
  );

  // From an account's check result to its verified seller's page, at the name
  // check; an account without one goes back to its result.
  app.get(
    // accounts.http.ts (sellerOfAccountPath) writes the links to it.
    '/rekening/:provider/:number/penjual',
    { ...page, schema: { hide: true, params: accountParams } },
    async (request, reply) => {
      const ctx = pageContext(request);
      const account = accountOf(request.params.provider, request.params.number);
      if (!account) return reply.redirect(href(ctx, '/'), 303);
      const sellerPage = await registrations.sellerPageOf(account);
      const to = sellerPage ? `${sellerPage}#${nameCheckAnchor}` : resultPath(account);
      return reply.redirect(href(ctx, to), 303);
    },
  );
  return Promise.resolve();
};
