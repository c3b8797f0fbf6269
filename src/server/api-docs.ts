// The browsable API reference at /docs: Swagger UI's own files (from
// swagger-ui-dist) around the OpenAPI document at /api/v1/openapi.json. The
// files are read at their first request, not at start: most processes never
// serve them, and a plugin that indexed them at registration made every start
// slower.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

const documentPath = '/api/v1/openapi.json';
const staticPrefix = '/docs/static/';

/** What the page loads, and the type each is served as. */
const files: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Starts Swagger UI on the document (a file of its own: the site's CSP allows no inline script). */
const initializer = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(documentPath)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
`;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cekrek API</title>
<link rel="stylesheet" href="${staticPrefix}swagger-ui.css">
<link rel="icon" type="image/png" href="${staticPrefix}favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${staticPrefix}swagger-ui-bundle.js"></script>
<script src="${staticPrefix}swagger-ui-standalone-preset.js"></script>
<script src="${staticPrefix}initializer.js"></script>
</body>
</html>
`;

/**
 * Swagger UI adds a <style> element of its own when it starts: its page (and
 * only its page, which shows nothing but the API document) allows inline
 * styles. Scripts stay 'self' only.
 */
function withInlineStyles(policy: unknown): string {
  const site = typeof policy === 'string' ? policy : "default-src 'self'; style-src 'self'";
  return site.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
}

function distDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

export const apiDocsRoutes: FastifyPluginAsync = (app) => {
  const loaded = new Map<string, Buffer>();
  const fileOf = async (name: string) => {
    const cached = loaded.get(name);
    if (cached) return cached;
    const body = await readFile(join(distDirectory(), name));
    loaded.set(name, body);
    return body;
  };
  const hidden = { schema: { hide: true } };

  app.get('/docs', hidden, (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header(
        'content-security-policy',
        withInlineStyles(reply.getHeader('content-security-policy')),
      )
      .send(page),
  );
  app.get('/docs/json', hidden, (_request, reply) => reply.redirect(documentPath, 301));
  app.get(`${staticPrefix}initializer.js`, hidden, (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(initializer),
  );
  for (const [name, type] of Object.entries(files)) {
    app.get(`${staticPrefix}${name}`, hidden, async (_request, reply) =>
      reply
        .type(type)
        .header('cache-control', 'public, max-age=86400')
        .send(await fileOf(name)),
    );
  }
  return Promise.resolve();
};
