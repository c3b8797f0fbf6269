// The HTML error pages (404, 400, 429, 500) that the server's handlers send
// to whoever wants HTML, and the language cookie every page plugin remembers.
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { ErrorCode, FieldError } from '../shared/errors.ts';
import { isLang } from '../shared/i18n.ts';
import { problemDetail, problemTitle, t, translateReason } from '../shared/messages.ts';
import { withWait } from '../shared/wait.ts';
import { href, pageContext, sendPage, translator, type PageContext } from './layout.tsx';
import { ErrorIcon, WarningIcon } from './icons.tsx';
import { statusByCode } from './problems.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A page route: its errors are answered as HTML pages, whatever Accept says. */
    page?: boolean;
  }
}

/** Page routes, and anything outside the API that a browser navigates to. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  if (request.routeOptions.config?.page) return true;
  return (request.headers.accept ?? '').includes('text/html');
}

// ---------------------------------------------------------------------------
// Error pages

interface ErrorPageProps {
  readonly ctx: PageContext;
  readonly code: ErrorCode;
  readonly errors: readonly FieldError[];
  readonly params: Readonly<Record<string, string | number>>;
}

function HomeLink({ ctx }: { ctx: PageContext }) {
  return (
    <p class="actions">
      <a class="button" href={href(ctx, '/')}>
        {t(ctx.lang, 'error.home')}
      </a>
    </p>
  );
}

function ErrorPage({ ctx, code, errors, params }: ErrorPageProps) {
  const tr = translator(ctx);
  switch (code) {
    case 'not_found':
      return (
        <>
          <h1>{tr('error.notFound.heading')}</h1>
          <p class="lead">{tr('error.notFound.text')}</p>
          <HomeLink ctx={ctx} />
        </>
      );
    case 'rate_limited':
      return (
        <>
          <h1>{tr('error.rateLimited.heading')}</h1>
          <div class="notice notice-caution">
            <WarningIcon />
            <div>
              <p>
                {tr(
                  'error.rateLimited.text',
                  withWait(ctx.lang, { seconds: params.seconds ?? 60 }),
                )}
              </p>
            </div>
          </div>
          <HomeLink ctx={ctx} />
        </>
      );
    default:
      return (
        <>
          <h1>{problemTitle(ctx.lang, code)}</h1>
          <p class="lead">{problemDetail(ctx.lang, code, params)}</p>
          {errors.length > 0 && (
            <div class="error-summary">
              <h2>
                <ErrorIcon />
                {tr('error.fields')}
              </h2>
              <ul>
                {errors.map((e, index) => (
                  <li key={index}>{translateReason(ctx.lang, e.reason)}</li>
                ))}
              </ul>
            </div>
          )}
          <HomeLink ctx={ctx} />
        </>
      );
  }
}

/** The HTML twin of sendProblem: same code, same status, same language. */
export function renderErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  options: { errors?: readonly FieldError[]; params?: Record<string, string | number> } = {},
): FastifyReply {
  const ctx = pageContext(request);
  const params = { requestId: request.id, ...options.params };
  const title =
    code === 'not_found'
      ? t(ctx.lang, 'error.notFound.heading')
      : code === 'rate_limited'
        ? t(ctx.lang, 'error.rateLimited.heading')
        : problemTitle(ctx.lang, code);
  return sendPage(
    reply,
    ctx,
    { title, status: statusByCode[code], private: true },
    <ErrorPage ctx={ctx} code={code} errors={options.errors ?? []} params={params} />,
  );
}

export function renderNotFoundPage(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return renderErrorPage(request, reply, 'not_found');
}

// ---------------------------------------------------------------------------
// Routes

const oneYear = 365 * 24 * 60 * 60;

/**
 * A language chosen with ?lang sticks: later pages, without ?lang, keep it.
 * An onRequest hook of every page plugin (the public pages and the back office).
 */
export const rememberLanguage: onRequestHookHandler = (request, reply, done) => {
  const given = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(given) && request.cookies.lang !== given) {
    void reply.setCookie('lang', given, {
      path: '/',
      sameSite: 'lax',
      maxAge: oneYear,
      httpOnly: true,
      secure: request.protocol === 'https',
    });
  }
  done();
};
