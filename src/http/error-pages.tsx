// The public pages: registration of every page route, the language cookie,
// the about/contact page, and the HTML error pages (404, 400, 429, 500) that
// app.ts's handlers send to whoever wants HTML.
import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
} from 'fastify';
import type { ErrorCode, FieldError } from '../shared/errors.ts';
import { isLang } from '../shared/i18n.ts';
import { problemDetail, problemTitle, t, translateReason } from '../shared/messages.ts';
import { accountPages } from '../accounts/accounts.pages.tsx';
import { assetRoutes } from './assets.ts';
import { href, pageContext, sendPage, translator, type PageContext } from './layout.tsx';
import { ErrorIcon, InfoIcon, WarningIcon } from './icons.tsx';
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
              <p>{tr('error.rateLimited.text', { seconds: params.seconds ?? 60 })}</p>
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
// About and contact

function AboutPage({
  ctx,
  phones,
  email,
}: {
  ctx: PageContext;
  phones: readonly string[];
  email: string;
}) {
  const tr = translator(ctx);
  const sections = [
    ['about.check.title', 'about.check.text'],
    ['about.report.title', 'about.report.text'],
    ['about.normalization.title', 'about.normalization.text'],
    ['about.seller.title', 'about.seller.text'],
    ['about.privacy.title', 'about.privacy.text'],
  ] as const;
  return (
    <>
      <h1>{tr('about.title')}</h1>
      <p class="lead">{tr('about.intro')}</p>
      {sections.map(([title, text]) => (
        <section key={title}>
          <h2>{tr(title)}</h2>
          <p>{tr(text)}</p>
        </section>
      ))}
      <section class="card" id="kontak" aria-labelledby="contact-title">
        <h2 id="contact-title">{tr('about.contact.title')}</h2>
        <dl class="contact-list">
          <dt>{tr('about.contact.organization')}</dt>
          <dd>{ctx.organization}</dd>
          {phones.length > 0 && (
            <>
              <dt>{tr('about.contact.phone')}</dt>
              <dd>
                <ul>
                  {phones.map((phone) => (
                    <li key={phone}>
                      <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
          <dt>{tr('about.contact.email')}</dt>
          <dd>
            <a href={`mailto:${email}`}>{email}</a>
          </dd>
        </dl>
      </section>
      <div class="notice notice-info">
        <InfoIcon />
        <div>
          <p>{t(ctx.lang, 'home.caution')}</p>
        </div>
      </div>
    </>
  );
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

export const pageRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', rememberLanguage);

  await app.register(assetRoutes);
  await app.register(accountPages);

  const { contact } = app.deps.config;
  app.get('/tentang', { config: { page: true }, schema: { hide: true } }, (request, reply) => {
    const ctx = pageContext(request);
    return sendPage(
      reply,
      ctx,
      { title: t(ctx.lang, 'about.title') },
      <AboutPage ctx={ctx} phones={contact.phones} email={contact.email} />,
    );
  });
};
