// The frame every public page shares (head, header with the language switch,
// footer) and the one function that sends a page. Pages are rendered on the
// server with Preact, which escapes every text and attribute: no page ever
// uses dangerouslySetInnerHTML, and no page needs JavaScript.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { isLang, type Lang } from '../shared/i18n.ts';
import { t, type MessageKey } from '../shared/messages.ts';
import { withoutBidiControls } from '../shared/text-input.ts';
import { faviconHref, stylesheetHref } from './assets.ts';
import { BrandMark, GlobeIcon, MenuIcon } from './icons.tsx';

export const htmlContentType = 'text/html; charset=utf-8';

/** What every page of the site says about who runs it and where it is reached. */
export interface Site {
  readonly organization: string;
  /** The origin people reach the site at (PUBLIC_BASE_URL); unset, the request's own. */
  readonly publicBaseUrl: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly site: Site;
  }
}

/** What every page part needs to know about the request it answers. */
export interface PageContext {
  readonly lang: Lang;
  /**
   * The language given as `?lang`, repeated on the site's own links and
   * redirects so the choice also holds for a browser that refuses cookies.
   */
  readonly langParam: Lang | undefined;
  /** The request's query without `lang`, kept by the language switch (e.g. form values). */
  readonly query: URLSearchParams;
  readonly organization: string;
  /** The requested path, so that the menu can mark the page it is on. */
  readonly path?: string;
}

export function pageContext(request: FastifyRequest): PageContext {
  const given = (request.query as Record<string, unknown> | undefined)?.lang;
  const at = request.url.indexOf('?');
  const query = new URLSearchParams(at === -1 ? '' : request.url.slice(at + 1));
  query.delete('lang');
  return {
    lang: request.lang,
    langParam: isLang(given) ? given : undefined,
    query,
    organization: request.server.site.organization,
    path: at === -1 ? request.url : request.url.slice(0, at),
  };
}

/** Where the site is reached from outside, for links that leave the page (receipts, e-mails). */
export function publicOrigin(request: FastifyRequest): string {
  return request.server.site.publicBaseUrl ?? `${request.protocol}://${request.host}`;
}

/** A translator bound to the page's language. */
export function translator(ctx: PageContext) {
  return (key: MessageKey, params?: Readonly<Record<string, string | number>>) =>
    t(ctx.lang, key, params);
}

/** A link to one of the site's own paths, keeping `?lang` when the URL carried it. */
export function href(ctx: PageContext, path: string): string {
  if (!ctx.langParam) return path;
  const at = path.indexOf('#');
  const [beforeHash, hash] = at === -1 ? [path, ''] : [path.slice(0, at), path.slice(at)];
  return `${beforeHash}${beforeHash.includes('?') ? '&' : '?'}lang=${ctx.langParam}${hash}`;
}

export const otherLang: Record<Lang, Lang> = { id: 'en', en: 'id' };

/**
 * The language switch links to this same page: a query-only relative URL
 * keeps the path as it is (it can never point to another site, whatever the
 * path holds) and the query keeps the form's values.
 */
export function switchHref(ctx: PageContext): string {
  const query = new URLSearchParams(ctx.query);
  query.set('lang', otherLang[ctx.lang]);
  return `?${query.toString()}`;
}

/**
 * Every public service, in the order people look for them. The header menu
 * and the home page both list them from here, so a new service (statistics,
 * once there are any) is added once and found from every page.
 */
export const publicServices = [
  { path: '/', label: 'layout.nav.check', text: 'home.services.check' },
  { path: '/lapor', label: 'layout.nav.report', text: 'home.services.report' },
  { path: '/daftar-penjual', label: 'layout.nav.register', text: 'home.services.register' },
  { path: '/normalisasi', label: 'layout.nav.normalization', text: 'home.services.normalization' },
  { path: '/lacak', label: 'layout.nav.track', text: 'home.services.track' },
] as const satisfies readonly { path: string; label: MessageKey; text: MessageKey }[];

const menuLinks: readonly { path: string; label: MessageKey }[] = [
  ...publicServices,
  { path: '/tentang', label: 'layout.nav.about' },
  { path: '/kontak', label: 'layout.nav.contact' },
];

/**
 * The site menu: a <details> disclosure, so that a phone shows one button
 * that opens the list without any script; wide screens show the list as a
 * row (site.css) and hide the button.
 */
function SiteMenu({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <details class="site-menu">
      <summary>
        <MenuIcon />
        {tr('layout.nav.menu')}
      </summary>
      <nav class="site-nav" aria-label={tr('layout.nav')}>
        <ul>
          {menuLinks.map(({ path, label }) => (
            <li key={path}>
              <a href={href(ctx, path)} aria-current={ctx.path === path ? 'page' : undefined}>
                {tr(label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </details>
  );
}

function Header({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  const other = otherLang[ctx.lang];
  return (
    <header class="site-header">
      <div class="wrap">
        <a class="brand" href={href(ctx, '/')}>
          <BrandMark />
          <span class="brand-name">cekrek</span>
          <span class="brand-tagline">{tr('layout.tagline')}</span>
        </a>
        <SiteMenu ctx={ctx} />
        <a class="lang-switch" href={switchHref(ctx)} lang={other} hreflang={other}>
          <GlobeIcon />
          {tr('layout.otherLanguage')}
        </a>
      </div>
    </header>
  );
}

function Footer({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  return (
    <footer class="site-footer">
      <div class="wrap">
        <p>{tr('layout.footer.about')}</p>
        <p>{tr('layout.footer.operator', { organization: ctx.organization })}</p>
        <p>
          <a href={href(ctx, '/tentang')}>{tr('layout.footer.contact')}</a>
          {' · '}
          <a href={href(ctx, '/kontak')}>{tr('layout.nav.contact')}</a>
          {' · '}
          <a href={href(ctx, '/statistik')}>{tr('layout.nav.statistics')}</a>
          {' · '}
          <a href={href(ctx, '/data-terbuka')}>{tr('layout.nav.openData')}</a>
        </p>
      </div>
    </footer>
  );
}

interface LayoutProps {
  readonly ctx: PageContext;
  readonly title: string;
  readonly noindex: boolean;
  readonly referrer: 'same-origin' | 'no-referrer';
  readonly children: ComponentChildren;
}

function Layout({ ctx, title, noindex, referrer, children }: LayoutProps) {
  const tr = translator(ctx);
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · cekrek`}</title>
        <meta name="description" content={tr('layout.description')} />
        {/* Result URLs name the account someone checked: never pass them on. */}
        <meta name="referrer" content={referrer} />
        {noindex && <meta name="robots" content="noindex" />}
        <link rel="icon" href={faviconHref} type="image/svg+xml" />
        <link rel="stylesheet" href={stylesheetHref} />
      </head>
      <body>
        <a class="skip" href="#main">
          {tr('layout.skip')}
        </a>
        <Header ctx={ctx} />
        <main id="main" class="wrap site-main" tabIndex={-1}>
          {children}
        </main>
        <Footer ctx={ctx} />
      </body>
    </html>
  );
}

export interface PageOptions {
  readonly title: string;
  readonly status?: number;
  /**
   * Results and errors: not indexed and not stored, because what someone
   * checked is nobody else's business (and a result may change at any time).
   */
  readonly private?: boolean;
  /** Pages whose URL holds a secret (a tracking token) send no Referer at all. */
  readonly referrer?: 'same-origin' | 'no-referrer';
}

export function sendPage(
  reply: FastifyReply,
  ctx: PageContext,
  options: PageOptions,
  body: ComponentChildren,
): FastifyReply {
  const html = renderToString(
    <Layout
      ctx={ctx}
      title={options.title}
      noindex={options.private ?? false}
      referrer={options.referrer ?? 'same-origin'}
    >
      {body}
    </Layout>,
  );
  // Text stored before the input rules may still hold bidirectional controls; no page needs one.
  const shown = withoutBidiControls(html);
  return reply
    .code(options.status ?? 200)
    .type(htmlContentType)
    .header('cache-control', options.private ? 'no-store' : 'private, no-cache')
    .header('referrer-policy', options.referrer ?? 'same-origin')
    .header('vary', 'Accept-Language, Cookie')
    .send(`<!doctype html>${shown}`);
}
