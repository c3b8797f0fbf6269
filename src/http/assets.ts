// The site's one stylesheet, its scripts (the forms' proof of work and file
// check, the copy buttons of tracking codes) and its icon, read and hashed once at
// startup. The hash in the name lets browsers keep them for a year
// (immutable) while a changed file gets a new name, so
// nobody ever sees a stale stylesheet or script with a new page.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';

function loadAsset(file: string) {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = file.lastIndexOf('.');
  return { body, path: `/assets/${file.slice(0, dot)}.${hash}${file.slice(dot)}` };
}

const stylesheet = loadAsset('site.css');
const altchaScript = loadAsset('altcha.js');
const favicon = loadAsset('favicon.svg');
const copyScript = loadAsset('copy.js');
const fileCheckScript = loadAsset('file-check.js');

/** The stylesheet's URL, for the layout's `<link>`. */
export const stylesheetHref = stylesheet.path;

/** The proof-of-work solver's URL: the one script, and only on the report form. */
export const altchaScriptHref = altchaScript.path;

/** The icon's URL for every page's `<link rel="icon">` (the brand mark). */
export const faviconHref = favicon.path;

/**
 * Browsers and feed readers also ask for the icon at the well-known names,
 * without reading the page: the same SVG, under its own type, kept a day.
 */
const faviconPaths = ['/favicon.svg', '/favicon.ico'] as const;

/** The copy buttons of tracking codes and links (receipts, tracking page). */
export const copyScriptHref = copyScript.path;

/** The forms' check of chosen files (size and type), before they are sent. */
export const fileCheckScriptHref = fileCheckScript.path;

export const assetRoutes: FastifyPluginAsync = (app) => {
  app.get(stylesheet.path, { schema: { hide: true } }, (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(stylesheet.body),
  );
  for (const script of [altchaScript, copyScript, fileCheckScript]) {
    app.get(script.path, { schema: { hide: true } }, (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(script.body),
    );
  }
  app.get(favicon.path, { schema: { hide: true } }, (_request, reply) =>
    reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(favicon.body),
  );
  for (const path of faviconPaths) {
    app.get(path, { schema: { hide: true } }, (_request, reply) =>
      reply
        .type('image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .send(favicon.body),
    );
  }
  return Promise.resolve();
};
