// The seller's proof, whatever address the site is configured with and
// whatever host it was opened at: the page shows its QR code and badge from
// its own origin, the public origin only in the signed link (and inside the
// QR code); the QR code downloads as PNG and SVG; the seller page never names
// a development host; and a verified seller in a check result leads to the
// name check on the seller's page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrCodePng, qrCodeSvg } from '../src/registrations/badge.views.ts';
import { isDevelopmentHost } from '../src/registrations/seller.pages.tsx';
import { ManualClock } from '../src/shared/clock.ts';
import { dialects, describeOn } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { approvedSeller, type ApprovedSeller } from './support/sellers.ts';

const html = { accept: 'text/html' };

function proofPage(runtime: TestRuntime, seller: ApprovedSeller, host: string) {
  return runtime.app.inject({
    method: 'POST',
    url: '/daftar-penjual/bukti',
    payload: new URLSearchParams({ tiket: seller.ticket, token: seller.token }).toString(),
    headers: { ...html, host, 'content-type': 'application/x-www-form-urlencoded' },
  });
}

function attribute(body: string, id: string, name: string): string {
  const tag = new RegExp(`<[^>]*id="${id}"[^>]*>`).exec(body)?.[0] ?? '';
  const value = new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
  if (value === undefined) throw new Error(`no ${name} on #${id}`);
  return value.replaceAll('&amp;', '&');
}

function imageSources(body: string): string[] {
  return [...body.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

describe('development host names', () => {
  it('knows the names no buyer should be told to expect', () => {
    for (const host of ['localhost', 'app.localhost', '127.0.0.1', '[::1]', 'cekrek.test'])
      expect(isDevelopmentHost(host), host).toBe(true);
    for (const host of ['cekrekening.id', 'cekrek.example.org'])
      expect(isDevelopmentHost(host), host).toBe(false);
  });
});

for (const dialect of dialects) {
  describeOn(dialect)(`the seller's proof without PUBLIC_BASE_URL on ${dialect}`, () => {
    const clock = new ManualClock('2026-03-01T05:00:00Z');
    let runtime: TestRuntime;
    let seller: ApprovedSeller;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock });
      seller = await approvedSeller(runtime, clock);
    });
    afterAll(async () => {
      await runtime?.close();
    });

    it('shows the QR code and badge from the page’s own origin, the link on the host it was opened at', async () => {
      const page = await proofPage(runtime, seller, '127.0.0.1:4321');
      expect(page.statusCode).toBe(200);
      const sources = imageSources(page.body);
      expect(sources).toHaveLength(2);
      for (const src of sources)
        expect(src).toMatch(/^\/penjual\/[A-Za-z0-9_-]{16}\/[a-z]+\.svg\?sig=/);
      expect(attribute(page.body, 'seller-link', 'href')).toBe(
        `http://127.0.0.1:4321${seller.sellerPath}`,
      );
      expect(page.body).not.toContain('localhost');
      for (const src of sources) {
        const image = await runtime.app.inject({ url: src, headers: { host: '127.0.0.1:4321' } });
        expect(image.statusCode, src).toBe(200);
        expect(image.headers['content-type']).toContain('image/svg+xml');
      }
    });

    it('puts the signed link on the public origin inside the QR code, and downloads it as PNG and SVG', async () => {
      const page = await proofPage(runtime, seller, '127.0.0.1:4321');
      const expected = `http://127.0.0.1:4321${seller.sellerPath}`;
      const shown = await runtime.app.inject({
        url: imageSources(page.body)[0]!,
        headers: { host: '127.0.0.1:4321' },
      });
      expect(shown.body).toBe(await qrCodeSvg(expected));
      expect(shown.headers['content-disposition']).toBeUndefined();

      const png = await runtime.app.inject({
        url: attribute(page.body, 'qr-download-png', 'href'),
        headers: { host: '127.0.0.1:4321' },
      });
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.headers['content-disposition']).toMatch(
        /^attachment; filename="qr-penjual-.+\.png"$/,
      );
      expect(png.rawPayload.equals(await qrCodePng(expected))).toBe(true);

      const svg = await runtime.app.inject({
        url: attribute(page.body, 'qr-download-svg', 'href'),
        headers: { host: '127.0.0.1:4321' },
      });
      expect(svg.statusCode).toBe(200);
      expect(svg.headers['content-disposition']).toMatch(/^attachment; filename=".+\.svg"$/);
      expect(svg.body).toBe(await qrCodeSvg(expected));
    });

    it('draws no QR code for a changed link', async () => {
      for (const format of ['png', 'svg']) {
        const changed = seller.sellerPath.replace('?sig=', `/qr.${format}?sig=A`);
        expect((await runtime.app.inject({ url: changed })).statusCode).toBe(404);
      }
    });

    it('never tells a buyer to expect the host the page happened to be opened at', async () => {
      const page = await runtime.app.inject({
        url: seller.sellerPath,
        headers: { ...html, host: 'localhost:3000' },
      });
      expect(page.statusCode).toBe(200);
      // The words a buyer reads (the share links hold the page's own address, as opened).
      const words = page.body.replace(/<[^>]+>/g, ' ');
      expect(words).not.toContain('localhost');
      expect(words).toContain('situs resmi cekrek');
    });

    it('leads from the check result’s verified seller to the name check on the seller page', async () => {
      const result = await runtime.app.inject({
        url: `/rekening/${seller.provider}/${seller.number}`,
        headers: html,
      });
      const link = attribute(result.body, 'seller-name-check', 'href');
      expect(link).toBe(`/rekening/${seller.provider}/${seller.number}/penjual`);
      const followed = await runtime.app.inject({ url: link, headers: html });
      expect(followed.statusCode).toBe(303);
      expect(followed.headers.location).toBe(`${seller.sellerPath}#cek-nama`);
      const english = await runtime.app.inject({ url: `${link}?lang=en`, headers: html });
      expect(english.headers.location).toBe(`${seller.sellerPath}&lang=en#cek-nama`);
      const sellerPage = await runtime.app.inject({ url: seller.sellerPath, headers: html });
      expect(sellerPage.body).toContain('id="cek-nama"');
    });

    it('sends an account without a verified seller back to its result, and nonsense home', async () => {
      const none = await runtime.app.inject({ url: '/rekening/014/1234567890/penjual' });
      expect(none.statusCode).toBe(303);
      expect(none.headers.location).toBe('/rekening/014/1234567890');
      const nonsense = await runtime.app.inject({ url: '/rekening/nope/12/penjual' });
      expect(nonsense.statusCode).toBe(303);
      expect(nonsense.headers.location).toBe('/');
    });
  });

  describeOn(dialect)(`the seller's proof with PUBLIC_BASE_URL on ${dialect}`, () => {
    const clock = new ManualClock('2026-03-01T05:00:00Z');
    let runtime: TestRuntime;
    let seller: ApprovedSeller;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        clock,
        env: { PUBLIC_BASE_URL: 'https://cekrek.example.org' },
      });
      seller = await approvedSeller(runtime, clock);
    });
    afterAll(async () => {
      await runtime?.close();
    });

    it('loads the images from wherever the page was opened; the public origin is in the link only', async () => {
      const page = await proofPage(runtime, seller, '10.0.0.5:3000');
      for (const src of imageSources(page.body)) expect(src.startsWith('/penjual/')).toBe(true);
      const link = `https://cekrek.example.org${seller.sellerPath}`;
      expect(attribute(page.body, 'seller-link', 'href')).toBe(link);
      expect(page.body).toContain(
        `<code class="token" id="seller-link-url">${link.replaceAll('&', '&amp;')}</code>`,
      );
      const qr = await runtime.app.inject({
        url: imageSources(page.body)[0]!,
        headers: { host: '10.0.0.5:3000' },
      });
      expect(qr.body).toBe(await qrCodeSvg(link));
    });

    it('lets a buyer pass the seller page on, never a name they checked', async () => {
      const [publicId] = seller.sellerPath.slice('/penjual/'.length).split('?');
      const signature = new URLSearchParams(seller.sellerPath.split('?')[1]).get('sig')!;
      const answered = await runtime.app.inject({
        method: 'POST',
        url: `/penjual/${publicId}/cek-nama`,
        payload: new URLSearchParams({ sig: signature, nama: 'Budi Santoso' }).toString(),
        headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(answered.statusCode).toBe(200);
      const whatsapp = /href="(https:\/\/wa\.me\/[^"]+)"/.exec(answered.body)![1]!;
      expect(new URL(whatsapp.replaceAll('&amp;', '&')).searchParams.get('text')).toBe(
        `Periksa penjual ini sebelum transfer: https://cekrek.example.org${seller.sellerPath}`,
      );
    });

    it('tells a buyer the configured address to expect', async () => {
      const page = await runtime.app.inject({
        url: seller.sellerPath,
        headers: { ...html, host: '127.0.0.1:3000' },
      });
      expect(page.body).toContain('cekrek.example.org');
      expect(page.body).not.toContain('127.0.0.1');
    });
  });
}
