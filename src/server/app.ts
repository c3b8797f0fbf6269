// Builds the Fastify application from the services; listening is main.ts's
// job, so tests build it without a port (inject) and close it after.
import { createServer, type Server } from 'node:http';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import {
  createJsonSchemaTransform,
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { isAppError, type ErrorCode, type FieldError } from '../shared/errors.ts';
import { isLang, negotiateLanguage, type Lang } from '../shared/i18n.ts';
import type { Services } from './services.ts';
import { problemContentType, statusByCode } from '../http/problems.ts';
import { sendProblem } from '../http/replies.ts';
import { helmetHeaders } from '../http/helmet-headers.ts';
import {
  logsRequests,
  requestIdOf,
  withFastCheck,
  type FastKeyGate,
} from '../accounts/check.fast-path.http.ts';
import { fastCheckKeyGate } from '../partners/partners.http.ts';
import { withFastRange } from '../accounts/range.fast-path.http.ts';
import type { RangeService } from '../accounts/range.service.ts';
import { hasMalformedQuery, refuseNotText } from '../http/input-guards.ts';
import { authPlugin } from '../backoffice/auth.ts';
import { multipartSupport } from '../files/multipart.http.ts';
import { mediaTypesPlugin } from '../http/media-types.ts';
import {
  closeTimedOut,
  isRequestTimeout,
  limitConnections,
  requestTimeoutOf,
  serverTimeoutOptions,
  withBodyDeadline,
  type RawHandler,
} from '../http/slow-clients.ts';
import { isBackOfficePage, sendBackOfficeError } from '../backoffice/errors.tsx';
import { renderErrorPage, renderNotFoundPage, wantsHtml } from '../http/error-pages.tsx';
import { assetRoutes } from '../http/assets.ts';
import { apiDocsRoutes } from './api-docs.ts';
import { asUnavailable, OutageLog, retryAfterSeconds } from '../http/outage.ts';
import { SubmissionGate } from '../http/submission-gate.ts';
import { unavailableRetrySeconds } from '../db/unavailable.ts';
import type { Limiters } from './limiters.ts';
import type { CheckService } from '../accounts/check.service.ts';
import type { SessionsService } from '../operators/sessions.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { registerFeatures } from './plugins.ts';
import { nameOperation, securitySchemes } from './openapi.ts';

/** What the server itself needs, before any feature is registered. */
export interface ServerCore {
  readonly config: Config;
  /** The check answers plain checks on the fast path, before Fastify sees them. */
  readonly checks: CheckService;
  readonly checkLimiter: RateLimiter | undefined;
  /** Keyed checks on the fast path; without it Fastify answers every keyed check. */
  readonly checkKeys?: FastKeyGate;
  /** The private lookup's fast path (accounts/range.fast-path.http.ts), when given. */
  readonly ranges?: Pick<RangeService, 'lookup'>;
  /** The sign-in guard of every back-office route. */
  readonly sessions: SessionsService;
  readonly audit: AuditService;
  /** pino options or an existing logger; tests pass their own to capture lines. */
  readonly logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
}

export interface ServerDeps {
  readonly config: Config;
  readonly database: Database;
  readonly services: Services;
  readonly limiters: Limiters;
  readonly clock: Clock;
  readonly logger?: ServerCore['logger'];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The language of answers: ?lang, then the `lang` cookie, then Accept-Language. */
    readonly lang: Lang;
  }
  interface FastifyInstance {
    /** Logs database outages once a minute rather than per request. */
    readonly outages: OutageLog;
  }
}

/**
 * Security headers, the same on every response: Helmet computes them once,
 * here, rather than per request (@fastify/helmet re-derives every header from
 * its options on each request, which measured at 60% of the check's throughput).
 * HSTS is split off: it is sent only over HTTPS.
 */
const { hsts, headers: securityHeaders } = helmetHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
  strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
});
const maxHeaderSize = 32 * 1024;

/** Longest request target we read; anything longer is refused with 414. */
const maxUrlLength = 4096;

export const sensitiveHeaders = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'req.headers["x-tracking-token"]',
  'res.headers["set-cookie"]',
];

function languageOf(request: FastifyRequest): Lang {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.lang;
  if (isLang(fromQuery)) return fromQuery;
  const fromCookie = request.cookies?.lang;
  if (isLang(fromCookie)) return fromCookie;
  return negotiateLanguage(request.headers['accept-language']);
}

function fastifyErrorCode(error: FastifyError): ErrorCode | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'bad_request';
    default:
      break;
  }
  if (error.statusCode === 429) return 'rate_limited';
  if (error.statusCode === 413) return 'payload_too_large';
  if (error.statusCode === 415) return 'unsupported_media_type';
  if (error.statusCode === 404) return 'not_found';
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return 'bad_request';
  }
  return undefined;
}

/** A browser gets an HTML error page in its language; everyone else a problem body. */
function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  options: { errors?: readonly FieldError[]; params?: Record<string, string | number> } = {},
): FastifyReply {
  if (code === 'unavailable') {
    void reply.header('retry-after', String(options.params?.seconds ?? unavailableRetrySeconds));
  }
  if (wantsHtml(request)) {
    // Back-office pages redirect to sign-in, enrolment or the password change when that is the fix.
    if (isBackOfficePage(request)) return sendBackOfficeError(request, reply, code, options);
    return renderErrorPage(request, reply, code, options);
  }
  return sendProblem(request, reply, code, options);
}

/**
 * An error found before the request's own hooks ran (no cookies, no session
 * yet): the error page or problem body alone, without sendError's redirects.
 */
function sendPlainError(request: FastifyRequest, reply: FastifyReply, code: ErrorCode) {
  return wantsHtml(request)
    ? renderErrorPage(request, reply, code)
    : sendProblem(request, reply, code);
}

function handleError(
  this: FastifyInstance,
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const unavailable = asUnavailable(error);
  if (unavailable) {
    this.outages.note(unavailable);
    const seconds = retryAfterSeconds(unavailable);
    return sendError(request, reply, 'unavailable', { params: { seconds } });
  }
  if (isAppError(error)) {
    if (statusByCode[error.code] >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, error.code, { errors: error.errors, params: error.params });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation as readonly { instancePath: string; message?: string }[];
    const errors: FieldError[] = issues.map((issue) => ({
      field:
        issue.instancePath.replace(/^\//, '').replaceAll('/', '.') ||
        (error.validationContext ?? 'request'),
      reason: issue.message ?? 'invalid',
    }));
    return sendError(request, reply, 'validation_failed', { errors });
  }
  const code = fastifyErrorCode(error);
  if (code)
    return sendError(
      request,
      reply,
      code,
      code === 'rate_limited' ? { params: { seconds: retryAfterOf(reply) } } : {},
    );
  request.log.error({ err: error }, 'request failed');
  return sendError(request, reply, 'internal_error');
}

function setCommonHeaders(request: FastifyRequest, reply: FastifyReply): void {
  // JSON is never rendered as a page: the API needs only nosniff, the pages everything.
  if (request.url.startsWith('/api/')) reply.header('x-content-type-options', 'nosniff');
  else reply.headers(securityHeaders);
  reply.header('x-request-id', request.id);
  // HSTS means something only over HTTPS (behind a proxy: see TRUST_PROXY).
  if (request.protocol === 'https') reply.header('strict-transport-security', hsts);
}

/**
 * Fastify answers a URL it cannot route with a bare request object, without
 * the decorations of a routed one: the language is worked out here instead.
 */
function answerBeforeRouting(request: FastifyRequest): void {
  if (!isLang(request.lang)) {
    Object.defineProperty(request, 'lang', { value: languageOf(request) });
  }
}

function retryAfterOf(reply: FastifyReply): number {
  return Number(reply.getHeader('retry-after') ?? 60);
}

/** The private lookup's fast path in front of `handler`, when the server was given the service. */
function withFastPrivateLookup(
  deps: ServerCore,
  logger: () => FastifyBaseLogger,
  handler: RawHandler,
): RawHandler {
  if (!deps.ranges) return handler;
  const { ranges, checkLimiter: limiter, config } = deps;
  return withFastRange({ ranges, limiter, trustProxy: config.trustProxy, logger }, handler);
}

/** The whole application: the server and every feature (server/plugins.ts). */
export async function buildApp(deps: ServerDeps): Promise<FastifyInstance> {
  const { config, services, limiters } = deps;
  const app = await buildServer({
    config,
    checks: services.checks,
    checkLimiter: limiters.check,
    checkKeys: fastCheckKeyGate(services.partners),
    ranges: services.ranges,
    sessions: services.sessions,
    audit: services.audit,
    logger: deps.logger,
  });
  await registerFeatures(app, {
    config,
    database: deps.database,
    services,
    limiters,
    clock: deps.clock,
    gate: new SubmissionGate({
      challengeRequired: services.challenges.enabled,
      noJsLimiter: limiters.noJsSubmission,
    }),
  });
  return app;
}

/**
 * The server without features: deadlines, headers, languages, errors, the API
 * document, the sign-in guard and uploads. Features are registered on it (a
 * test may register one feature with services of its choosing).
 */
export async function buildServer(deps: ServerCore): Promise<FastifyInstance> {
  const { config } = deps;
  const loggerOption =
    deps.logger && typeof deps.logger === 'object' && 'child' in deps.logger
      ? { loggerInstance: deps.logger }
      : {
          logger:
            deps.logger ??
            ({
              level: config.logLevel,
              redact: sensitiveHeaders,
            } satisfies FastifyServerOptions['logger']),
        };
  const currentLogger = (): FastifyBaseLogger => app.log;
  const checkLimiter = deps.checkLimiter;
  const app = Fastify({
    ...loggerOption,
    trustProxy: config.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: requestIdOf,
    // The check's fast path answers plain checks before Fastify sees them (accounts/check.fast-path.http.ts).
    serverFactory: (handler): Server => {
      const server = createServer(
        { maxHeaderSize, ...serverTimeoutOptions(config.http) },
        withBodyDeadline(
          config.http,
          withFastCheck(
            {
              checks: deps.checks,
              limiter: checkLimiter,
              keys: deps.checkKeys,
              trustProxy: config.trustProxy,
              logger: currentLogger,
            },
            withFastPrivateLookup(deps, currentLogger, handler),
          ),
        ),
      );
      limitConnections(server, config.http, currentLogger);
      return server;
    },
    // Applied by the server factory; given here too so initialConfig tells the truth.
    connectionTimeout: config.http.idleTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    requestTimeout: requestTimeoutOf(config.http),
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: maxUrlLength },
    // A path Fastify cannot decode, or a parameter past maxParamLength, answered like any error.
    frameworkErrors: (error, request, reply) => {
      answerBeforeRouting(request);
      setCommonHeaders(request, reply);
      const code = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'bad_request';
      void sendPlainError(request, reply, code);
    },
    clientErrorHandler: (error, socket) => {
      // Node's own deadlines (headers, whole request): 408, unless this connection answered before.
      if (isRequestTimeout(error)) return closeTimedOut(socket, socket.bytesWritten > 0);
      if (!socket.writable) return socket.destroy();
      const status = (error as { code?: string }).code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({
        type: 'about:blank',
        title: status === 431 ? 'Request header fields too large' : 'Bad request',
        status,
        code: status === 431 ? 'uri_too_long' : 'bad_request',
      });
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
          `Connection: close\r\nContent-Type: ${problemContentType}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
  }).withTypeProvider();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('outages', new OutageLog(currentLogger));
  app.decorate('site', {
    organization: config.contact.organization,
    publicBaseUrl: config.publicBaseUrl,
  });
  app.decorateRequest('lang', {
    getter(this: FastifyRequest) {
      return languageOf(this);
    },
  });

  app.addHook('onRequest', (request, reply, done) => {
    setCommonHeaders(request, reply);
    if (request.url.length > maxUrlLength) {
      sendProblem(request, reply, 'uri_too_long');
      return;
    }
    if (hasMalformedQuery(request.url)) {
      sendPlainError(request, reply, 'bad_request');
      return;
    }
    done();
  });
  app.addHook('preHandler', refuseNotText);
  app.addHook('onResponse', (request, reply, done) => {
    if (!logsRequests(request.log)) return done();
    // The route pattern, not the URL: the accounts people check are nobody's business.
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    if (wantsHtml(request)) return renderNotFoundPage(request, reply);
    return sendProblem(request, reply, 'not_found');
  });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(multipartSupport, {
    limits: { maxFileBytes: config.uploadMaxFileBytes },
  });

  const zodTransform = createJsonSchemaTransform({ skipList: ['/docs', '/docs/*'] });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cekrek API',
        version: '1.0.0',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        description:
          'Check and report bank accounts and e-wallet numbers used in fraud and other crimes. ' +
          'Errors are RFC 9457 problem details with a stable `code`. While the database ' +
          'cannot be reached, routes that need it answer `503` with `code: "unavailable"` and ' +
          '`Retry-After`.',
      },
      tags: [
        { name: 'check', description: 'Checking accounts' },
        { name: 'reference', description: 'Providers and categories' },
        { name: 'operations', description: 'Health and readiness' },
        { name: 'operators', description: 'Back office: sign-in, operators, audit log' },
      ],
      servers: [{ url: config.publicBaseUrl ?? '/', description: 'this cekrek' }],
      components: { securitySchemes },
    },
    transform: (input) => {
      const { schema, url } = zodTransform(input);
      const method = [input.route.method].flat()[0] ?? 'GET';
      return { schema: nameOperation(schema, method, url), url };
    },
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(apiDocsRoutes);

  await app.register(mediaTypesPlugin);
  await app.register(authPlugin, { sessions: deps.sessions, audit: deps.audit });
  await app.register(assetRoutes);
  return app;
}
