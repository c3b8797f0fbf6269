// The frame of every back-office page (header with the operator's menu, the
// language switch and sign-out; main; footer), the one function that sends a
// back-office page, and the form parts the pages share. Like the public
// pages: rendered on the server by Preact (which escapes every text and
// attribute), no JavaScript, forms that POST with a hidden CSRF field.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { faviconHref, stylesheetHref } from '../http/assets.ts';
import { sessionCookie } from './auth.ts';
import { BrandMark, ErrorIcon, GlobeIcon, InfoIcon } from '../http/icons.tsx';
import {
  href,
  htmlContentType,
  otherLang,
  pageContext,
  switchHref,
  translator,
  type PageContext,
} from '../http/layout.tsx';
import { t } from '../shared/messages.ts';
import { withoutBidiControls } from '../shared/text-input.ts';
import { adminPaths } from './paths.ts';
import { allows, type Permission, type Role } from '../operators/operators.service.ts';
import type { ActiveSession } from '../operators/sessions.service.ts';

/** What a back-office page knows of its request: the page context plus the session. */
export interface BackOfficeContext extends PageContext {
  readonly session: ActiveSession | null;
  /** The CSRF token every form carries as `_csrf` (null without a session). */
  readonly csrf: string | null;
  /** The path answered, without query: the menu marks it as the current page. */
  readonly path: string;
}

export function backOfficeContext(request: FastifyRequest): BackOfficeContext {
  const token = request.cookies[sessionCookie];
  const session = request.operatorSession;
  return {
    ...pageContext(request),
    session,
    csrf: session && token ? request.server.csrfTokenFor(token) : null,
    path: request.url.split('?')[0] ?? request.url,
  };
}

/** Whether the page's operator has a full session that allows this. */
export function may(ctx: BackOfficeContext, permission: Permission): boolean {
  const session = ctx.session;
  return session?.stage === 'full' && allows(session.operator.roles, permission);
}

export function roleName(ctx: PageContext, role: Role): string {
  return t(ctx.lang, `admin.role.${role}`);
}

// ---------------------------------------------------------------------------
// The frame

function MenuLink({ ctx, path, label }: { ctx: BackOfficeContext; path: string; label: string }) {
  return (
    <li>
      <a href={href(ctx, path)} aria-current={ctx.path === path ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
}

/**
 * A ticket number a submitter gives on the phone or by mail, typed on any
 * page: /admin/tiket leads to what it belongs to. A GET form drops the
 * action's query, so the language goes as a field.
 */
function TicketSearchField({ ctx }: { ctx: BackOfficeContext }) {
  const tr = translator(ctx);
  return (
    <form
      class="bo-search"
      method="get"
      action={adminPaths.tickets}
      role="search"
      aria-label={tr('admin.tickets.search')}
    >
      {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
      <label for="bo-ticket" class="visually-hidden">
        {tr('admin.tickets.label')}
      </label>
      <input
        type="search"
        id="bo-ticket"
        name="tiket"
        maxLength={40}
        size={14}
        autocomplete="off"
        spellcheck={false}
        placeholder="LAP-7K3Q-9M2X"
      />
      <button type="submit" class="button button-secondary button-small">
        {tr('admin.tickets.submit')}
      </button>
    </form>
  );
}

function Header({ ctx, switchPath }: { ctx: BackOfficeContext; switchPath: string | undefined }) {
  const tr = translator(ctx);
  const other = otherLang[ctx.lang];
  const full = ctx.session?.stage === 'full';
  const switchTo = switchPath ? href({ ...ctx, langParam: other }, switchPath) : switchHref(ctx);
  return (
    <header class="site-header bo-header">
      <div class="wrap wrap-wide">
        <a class="brand" href={href(ctx, full ? adminPaths.dashboard : adminPaths.signIn)}>
          <BrandMark />
          <span class="brand-name">cekrek</span>
          <span class="bo-label">{tr('admin.layout.label')}</span>
        </a>
        <nav class="site-nav" aria-label={tr('admin.layout.nav')}>
          <ul>
            {full && (
              <MenuLink ctx={ctx} path={adminPaths.dashboard} label={tr('admin.nav.dashboard')} />
            )}
            {may(ctx, 'reports.review') && (
              <MenuLink ctx={ctx} path={adminPaths.reports} label={tr('admin.nav.reports')} />
            )}
            {may(ctx, 'registrations.review') && (
              <MenuLink ctx={ctx} path="/admin/pendaftaran" label={tr('admin.nav.registrations')} />
            )}
            {may(ctx, 'normalizations.mediate') && (
              <MenuLink
                ctx={ctx}
                path="/admin/normalisasi"
                label={tr('admin.nav.normalizations')}
              />
            )}
            {may(ctx, 'operators.manage') && (
              <MenuLink ctx={ctx} path={adminPaths.operators} label={tr('admin.nav.operators')} />
            )}
            {may(ctx, 'partners.manage') && (
              <MenuLink ctx={ctx} path={adminPaths.partners} label={tr('admin.nav.partners')} />
            )}
            {may(ctx, 'audit.read') && (
              <MenuLink ctx={ctx} path={adminPaths.audit} label={tr('admin.nav.audit')} />
            )}
            <li>
              <a href={switchTo} lang={other} hreflang={other}>
                <GlobeIcon />
                {tr('layout.otherLanguage')}
              </a>
            </li>
          </ul>
        </nav>
        {full && <TicketSearchField ctx={ctx} />}
        {ctx.session && (
          <form class="bo-account" method="post" action={href(ctx, adminPaths.signOut)}>
            <span class="bo-email">{ctx.session.operator.email}</span>
            <CsrfField ctx={ctx} />
            <button type="submit" class="button button-secondary button-small">
              {tr('admin.signOut')}
            </button>
          </form>
        )}
      </div>
    </header>
  );
}

interface LayoutProps {
  readonly ctx: BackOfficeContext;
  readonly title: string;
  readonly switchPath: string | undefined;
  readonly children: ComponentChildren;
}

function BackOfficeLayout({ ctx, title, switchPath, children }: LayoutProps) {
  const tr = translator(ctx);
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${tr('admin.layout.label')} · cekrek`}</title>
        <meta name="referrer" content="same-origin" />
        <meta name="robots" content="noindex, nofollow" />
        <link rel="icon" href={faviconHref} type="image/svg+xml" />
        <link rel="stylesheet" href={stylesheetHref} />
      </head>
      <body class="backoffice">
        <a class="skip" href="#main">
          {tr('layout.skip')}
        </a>
        <Header ctx={ctx} switchPath={switchPath} />
        <main id="main" class="wrap wrap-wide site-main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap wrap-wide">
            <p>{tr('admin.layout.footer', { organization: ctx.organization })}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

export interface BackOfficePageOptions {
  readonly title: string;
  readonly status?: number;
  /**
   * The page the language switch leads to, for answers to a POST (whose own
   * address shows nothing on GET); by default the same page in the other language.
   */
  readonly switchPath?: string;
}

/** Nothing of the back office is kept by a cache or a search engine. */
function privateHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex, nofollow')
    .header('vary', 'Accept-Language, Cookie');
}

export function sendBackOfficePage(
  reply: FastifyReply,
  ctx: BackOfficeContext,
  options: BackOfficePageOptions,
  body: ComponentChildren,
): FastifyReply {
  const html = renderToString(
    <BackOfficeLayout ctx={ctx} title={options.title} switchPath={options.switchPath}>
      {body}
    </BackOfficeLayout>,
  );
  // Text stored before the input rules may still hold bidirectional controls; no page needs one.
  const shown = withoutBidiControls(html);
  return privateHeaders(reply)
    .code(options.status ?? 200)
    .type(htmlContentType)
    .send(`<!doctype html>${shown}`);
}

/** See Other to a back-office path, keeping `?lang` when the request carried it. */
export function redirectTo(reply: FastifyReply, ctx: PageContext, path: string): FastifyReply {
  return privateHeaders(reply).redirect(href(ctx, path), 303);
}

// ---------------------------------------------------------------------------
// Form parts

export function CsrfField({ ctx }: { ctx: BackOfficeContext }) {
  return ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null;
}

/** One thing to fix: its message, and the id of the field it belongs to (if any). */
export interface FormError {
  readonly field: string | null;
  readonly message: string;
}

/**
 * The errors of a form, focused on load (autofocus, no script) so that
 * keyboard and screen-reader users start at what to fix; each links to its field.
 */
export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: readonly FormError[] }) {
  if (errors.length === 0) return null;
  return (
    <section class="error-summary" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
      <h2 id="error-summary-title">
        <ErrorIcon />
        {t(ctx.lang, 'admin.errors.title')}
      </h2>
      <ul>
        {errors.map((e, index) => (
          <li key={index}>{e.field ? <a href={`#${e.field}`}>{e.message}</a> : e.message}</li>
        ))}
      </ul>
    </section>
  );
}

export function fieldError(errors: readonly FormError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

interface FieldProps {
  readonly id: string;
  readonly name?: string;
  readonly label: string;
  readonly type?: 'text' | 'email' | 'password' | 'date';
  readonly value?: string;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly autocomplete?: string;
  readonly inputmode?: 'numeric' | 'email' | 'text';
  readonly required?: boolean;
  readonly autofocus?: boolean;
  readonly maxLength?: number;
  readonly class?: string;
}

/** A labelled input with its hint and error, tied together by aria-describedby. */
export function Field(props: FieldProps) {
  const { id, hint, error } = props;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <ErrorIcon />
          <span>{error}</span>
        </p>
      )}
      <input
        type={props.type ?? 'text'}
        id={id}
        name={props.name ?? id}
        class={props.class}
        value={props.value}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        spellcheck={false}
        required={props.required}
        autofocus={props.autofocus}
        maxLength={props.maxLength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described.length > 0 ? described.join(' ') : undefined}
      />
    </div>
  );
}

/** A message about what just happened (after a redirect), announced politely. */
export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice notice-info" role="status">
      <InfoIcon />
      <div>
        <p>{children}</p>
      </div>
    </div>
  );
}
