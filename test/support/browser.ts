// Pages in a real browser: Debian's Chromium through playwright-core (never a
// downloaded browser), started with the same flags by every page test; pages
// on a 360 px phone screen in Indonesian unless a test asks otherwise; and
// axe-core's rules. A request of a page to anything but a loopback address
// fails the test, like any other connection beyond this machine.
import { mkdirSync } from 'node:fs';
import axe from 'axe-core';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import { isLoopback, reportBlocked } from './network-guard.ts';
import type { TestRuntime } from './runtime.ts';

export const chromiumPath = '/usr/bin/chromium';

export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const phone = { width: 360, height: 740 } as const;
export const desktop = { width: 1280, height: 900 } as const;

/**
 * Clicks what sends a form or follows a link, and waits for the page that
 * loads next: `waitForLoadState` after a click may answer for the page still
 * shown, before the browser has even sent the request.
 */
export async function clickAndLoad(page: Page, target: Locator): Promise<void> {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
}

/** Where page tests leave screenshots for a look; created on first use. */
export function shotsDir(): string {
  const dir = '/tmp/shots';
  mkdirSync(dir, { recursive: true });
  return dir;
}

const webSchemes = new Set(['http:', 'https:', 'ws:', 'wss:']);

function watchRequests(context: BrowserContext): void {
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (webSchemes.has(url.protocol) && !isLoopback(url.hostname)) {
      reportBlocked(`a page's request to ${url.origin}`);
    }
  });
}

export class TestBrowser {
  readonly #browser: Browser;
  readonly #contexts: BrowserContext[] = [];

  private constructor(browser: Browser) {
    this.#browser = browser;
  }

  static async launch(): Promise<TestBrowser> {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [...chromiumArgs],
    });
    return new TestBrowser(browser);
  }

  /**
   * A fresh page in its own context (own cookies), 360 px wide and in
   * Indonesian unless `options` say otherwise; closed with the browser at
   * the latest. axe-core needs `bypassCSP`: it is added as an inline script.
   */
  async page(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await this.#browser.newContext({
      viewport: phone,
      locale: 'id-ID',
      ...options,
    });
    this.#contexts.push(context);
    watchRequests(context);
    return context.newPage();
  }

  async close(): Promise<void> {
    for (const context of this.#contexts.splice(0)) await context.close();
    await this.#browser.close();
  }
}

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function graveViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  // Through window: the bundler renames the imported `axe` in Node, not in the page.
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run());
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Serves the runtime on 127.0.0.1 (a free port unless one is given); its base URL. */
export async function listenOnLoopback(runtime: TestRuntime, port = 0): Promise<string> {
  await runtime.app.listen({ port, host: '127.0.0.1' });
  const address = runtime.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP port');
  return `http://127.0.0.1:${address.port}`;
}
