// Every public service is found from every page: the contact page answers
// by its own name, and the icon is served at the names browsers ask for and
// linked from every page's head, public and back office alike.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

describeEachDialect('navigation and the site icon on %s', (dialect) => {
  let runtime: TestRuntime;

  beforeAll(async () => {
    runtime = await startTestRuntime(dialect, {
      env: { CONTACT_EMAIL: 'halo@cekrek.example' },
    });
  });

  afterAll(async () => {
    await runtime?.close();
  });

  function get(url: string) {
    return runtime.app.inject({ url, headers: { accept: 'text/html' } });
  }

  it('answers /kontak with the contact details, in both languages', async () => {
    const id = await get('/kontak');
    expect(id.statusCode).toBe(200);
    expect(id.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(id.body).toContain('<h1>Kontak</h1>');
    expect(id.body).toContain('mailto:halo@cekrek.example');
    const en = await get('/kontak?lang=en');
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('<h1>Contact</h1>');
  });

  it('serves the icon at /favicon.ico and /favicon.svg', async () => {
    for (const url of ['/favicon.ico', '/favicon.svg']) {
      const response = await runtime.app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toBe('image/svg+xml');
      expect(response.body, url).toContain('<svg');
    }
  });

  it('links the icon from the head of public and back-office pages, and the link answers', async () => {
    for (const url of ['/', '/tentang', '/kontak', '/lapor', '/admin/masuk']) {
      const page = await get(url);
      const link = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml"\/>/.exec(page.body);
      expect(link, url).not.toBeNull();
      const icon = await runtime.app.inject({ url: link?.[1] ?? '' });
      expect(icon.statusCode, url).toBe(200);
      expect(icon.headers['content-type'], url).toBe('image/svg+xml');
    }
  });

  it('puts every service in the header menu of every public page', async () => {
    for (const url of ['/', '/tentang', '/kontak', '/lacak', '/normalisasi']) {
      const page = await get(url);
      const menu = /<details class="site-menu">[\s\S]*?<\/details>/.exec(page.body)?.[0] ?? '';
      for (const path of [
        '/',
        '/lapor',
        '/daftar-penjual',
        '/normalisasi',
        '/lacak',
        '/tentang',
        '/kontak',
      ]) {
        expect(menu, `${url} → ${path}`).toContain(`href="${path}"`);
      }
    }
  });
});
