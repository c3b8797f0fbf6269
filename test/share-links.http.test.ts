// A check result can be passed on without JavaScript: plain links to WhatsApp
// and Telegram, and the address to copy, holding the result page's public
// address (the account in the path, nothing else) and one neutral sentence:
// never a name, nor anything of the visitor's request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramShareUrl, whatsAppShareUrl } from '../src/http/share-links.tsx';
import { ManualClock } from '../src/shared/clock.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { approvedSeller, type ApprovedSeller } from './support/sellers.ts';

const html = { accept: 'text/html' };

/** The hrefs of the page's links to a host, entities decoded. */
function linksTo(body: string, host: string): URL[] {
  return [...body.matchAll(/href="(https:\/\/[^"]+)"/g)]
    .map((m) => new URL(m[1]!.replaceAll('&amp;', '&')))
    .filter((url) => url.host === host);
}

function sharedText(body: string): string[] {
  const whatsapp = linksTo(body, 'wa.me').map((url) => url.searchParams.get('text') ?? '');
  const telegram = linksTo(body, 't.me').flatMap((url) => [
    url.searchParams.get('url') ?? '',
    url.searchParams.get('text') ?? '',
  ]);
  return [...whatsapp, ...telegram];
}

describe('share links', () => {
  it('put the sentence and the address in the links each app reads', () => {
    const url = 'https://cekrek.example.org/rekening/014/1234567890';
    expect(whatsAppShareUrl('Cek dulu:', url)).toBe(
      'https://wa.me/?text=Cek+dulu%3A+https%3A%2F%2Fcekrek.example.org%2Frekening%2F014%2F1234567890',
    );
    const telegram = new URL(telegramShareUrl('Cek dulu:', url));
    expect(telegram.origin + telegram.pathname).toBe('https://t.me/share/url');
    expect(telegram.searchParams.get('url')).toBe(url);
    expect(telegram.searchParams.get('text')).toBe('Cek dulu:');
  });
});

describe('a check result’s share links', () => {
  const clock = new ManualClock('2026-03-01T05:00:00Z');
  let configured: TestRuntime;
  let unset: TestRuntime;
  let seller: ApprovedSeller;

  beforeAll(async () => {
    configured = await startTestRuntime('sqlite', {
      clock,
      env: { PUBLIC_BASE_URL: 'https://cekrek.example.org' },
    });
    unset = await startTestRuntime('sqlite', { clock });
    seller = await approvedSeller(configured, clock);
  });
  afterAll(async () => {
    await configured?.close();
    await unset?.close();
  });

  it('shares the result page on the public origin with a neutral sentence, in the page’s language', async () => {
    const page = await configured.app.inject({
      url: '/rekening/bca/1234-567-890?lang=en&utm_source=x',
      headers: html,
    });
    // Aliases lead to the one address first; what is shared is that address.
    const canonical = await configured.app.inject({
      url: page.headers.location!,
      headers: { ...html, host: '10.0.0.5:3000' },
    });
    expect(canonical.statusCode).toBe(200);
    const url = 'https://cekrek.example.org/rekening/014/1234567890';
    expect(sharedText(canonical.body)).toEqual([
      `Check this account before you pay: ${url}`,
      url,
      'Check this account before you pay:',
    ]);
    expect(canonical.body).toContain(`value="${url}"`);
    expect(canonical.body).toContain('Share on WhatsApp');
  });

  it('uses the origin the page was opened at when PUBLIC_BASE_URL is unset', async () => {
    const page = await unset.app.inject({
      url: '/rekening/014/1234567890',
      headers: { ...html, host: 'cekrek.lan:8080' },
    });
    expect(sharedText(page.body)[0]).toBe(
      'Cek dulu rekening ini sebelum transfer: http://cekrek.lan:8080/rekening/014/1234567890',
    );
  });

  it('never shares a verified seller’s name or business', async () => {
    const page = await configured.app.inject({
      url: `/rekening/${seller.provider}/${seller.number}`,
      headers: html,
    });
    expect(page.body).toContain('Toko Maju Jaya');
    const shared = sharedText(page.body).join(' ');
    expect(shared).toContain(`/rekening/${seller.provider}/${seller.number}`);
    for (const personal of ['Toko', 'Maju', 'B***', 'Budi', 'Santoso', 'sig='])
      expect(shared).not.toContain(personal);
  });

  it('keeps the links away from the referrer and in a new tab', async () => {
    const page = await configured.app.inject({ url: '/rekening/014/1234567890', headers: html });
    const anchors = [...page.body.matchAll(/<a [^>]*href="https:\/\/(?:wa|t)\.me[^>]*>/g)];
    expect(anchors).toHaveLength(2);
    for (const [anchor] of anchors) expect(anchor).toContain('rel="noopener noreferrer"');
  });
});
