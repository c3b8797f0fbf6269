// The browsable API reference at /docs, in a real browser (Debian's
// Chromium) with the site's own CSP: Swagger UI loads its files from this
// server, reads /api/v1/openapi.json and lists the operations, with no
// script or style refused by the policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, listenOnLoopback, TestBrowser } from './support/browser.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite');
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

describe('the API reference at /docs', () => {
  it('shows the operations of the OpenAPI document under the site’s CSP', async () => {
    const page = await browser.page({ viewport: desktop, locale: 'en-GB' });
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    const answer = await page.goto(`${base}/docs`);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    const operation = page.locator('.opblock-summary-path', {
      hasText: '/api/v1/accounts/{provider}/{number}',
    });
    await expect.poll(() => operation.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect(page.locator('.info .title').textContent()).resolves.toContain('cekrek API');
    expect(refused.filter((text) => text.includes('Content Security Policy'))).toEqual([]);
  });

  it('serves only the files the page needs, each with its type, and points /docs/json at the document', async () => {
    const css = await runtime.app.inject({ url: '/docs/static/swagger-ui.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const script = await runtime.app.inject({ url: '/docs/static/swagger-ui-bundle.js' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body.length).toBeGreaterThan(100_000);
    for (const path of ['/docs/static/package.json', '/docs/static/../package.json']) {
      expect((await runtime.app.inject({ url: path })).statusCode).toBe(404);
    }
    const json = await runtime.app.inject({ url: '/docs/json' });
    expect(json.statusCode).toBe(301);
    expect(json.headers.location).toBe('/api/v1/openapi.json');
  });
});
