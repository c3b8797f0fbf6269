// The bodies the API takes. The app parses JSON, plain text, urlencoded forms
// and multipart on every route (the pages need forms), and an HTML form on
// another site can send the last three without a CORS preflight: an API write
// that took them could be driven by any site the operator visits (signing
// the browser into someone else's account, say). So every write route under
// /api/ takes only the media types it documents: JSON, unless its config
// names others (the uploads: multipart). Anything else is refused with 415
// before validation and the handler: after the operator checks of auth.ts,
// so that who may not call a back-office route hears that first, as from
// every other route.
import type { FastifyRequest, preValidationHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../shared/errors.ts';

export type BodyType = 'application/json' | 'multipart/form-data' | 'text/csv';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The body media types this API route takes; JSON alone when not given. */
    bodyTypes?: readonly BodyType[];
  }
}

/** The body of an upload route: a multipart form, nothing else. */
export const uploadBody: readonly BodyType[] = ['multipart/form-data'];

const jsonBody: readonly BodyType[] = ['application/json'];
const writeMethods: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The media type of a Content-Type header, without its parameters; undefined when absent. */
function mediaTypeOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return header.split(';', 1)[0]!.trim().toLowerCase();
}

function carriesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length ?? '0') !== '0';
}

/** Lets through a body of the route's types, or no body at all. */
function acceptOnly(types: readonly BodyType[]): preValidationHookHandler {
  return (request, _reply, done) => {
    const type = mediaTypeOf(request.headers['content-type']);
    const accepted =
      type === undefined ? !carriesBody(request) : types.some((allowed) => allowed === type);
    done(accepted ? undefined : new AppError('unsupported_media_type'));
  };
}

function isApiWrite(url: string, method: string | readonly string[]): boolean {
  return url.startsWith('/api/') && [method].flat().some((m) => writeMethods.has(m));
}

/** Registered before the routes: each API write route gets its media-type check. */
export const mediaTypesPlugin = fp(
  (app, _options, done) => {
    app.addHook('onRoute', (route) => {
      const url = route.url ?? route.path;
      if (!isApiWrite(url, route.method)) return;
      const check = acceptOnly(route.config?.bodyTypes ?? jsonBody);
      // Appended: auth.ts puts its checks in front of whatever is there.
      route.preValidation = [...[route.preValidation ?? []].flat(), check];
    });
    done();
  },
  { name: 'cekrek-media-types' },
);
