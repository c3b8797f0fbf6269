// The verified seller's public page (/penjual/{id}?sig=…), where a buyer
// lands from the seller's link or QR code: whether the link is genuine, the
// account it vouches for exactly (bank, number), what the check says of that
// account now, and a name check that answers "match", "close match" or "no
// match" without revealing the name. Also the QR code and the badge images.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { href, pageContext, publicOrigin, sendPage, type PageContext } from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import { isAppError } from '../shared/errors.ts';
import { genuineBadge, notVerifiedBadge, qrCodeSvg } from './badge.views.ts';
import { sellerPagePath } from './registrations.paths.ts';
import type { RegistrationsService } from './registrations.service.ts';
import { nameCheckBody, params, signatureQuery, type NameCheckState } from './seller.form.ts';
import { SellerPage, titleOf, type SellerPageProps } from './seller.views.tsx';

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
