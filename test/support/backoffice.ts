// The back-office pages through fastify.inject, like a browser without
// JavaScript: keeps cookies, posts url-encoded forms with the `_csrf` of the
// last page it read, and signs in through the pages with real TOTP codes.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { totpCode } from '../../src/operators/totp.ts';
import type { Clock } from '../../src/shared/clock.ts';

/** The page's text without tags, with entities of the tests' strings decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

export function csrfOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** The TOTP key the enrolment page shows, without its grouping spaces. */
export function secretOf(html: string): string {
  const shown = /id="totp-secret">([^<]+)</.exec(html)?.[1];
  if (!shown) throw new Error('the page shows no TOTP key');
  return shown.replace(/\s/g, '');
}

export function oneTimePasswordOf(html: string): string {
  const shown = /id="one-time-password"><code>([^<]+)<\/code>/.exec(html)?.[1];
  if (!shown) throw new Error('the page shows no one-time password');
  return shown;
}

export type Form = Record<string, string | readonly string[]>;

function encode(form: Form): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const one of [value].flat()) params.append(name, one);
  }
  return params.toString();
}

export class PageClient {
  readonly #app: FastifyInstance;
  readonly cookies = new Map<string, string>();
  /** The `_csrf` of the last page read that had a form. */
  csrf: string | undefined;
  ip: string;

  constructor(app: FastifyInstance, ip = '127.0.0.1') {
    this.#app = app;
    this.ip = ip;
  }

  #headers(extra: Record<string, string>): Record<string, string> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return { accept: 'text/html', ...(cookie ? { cookie } : {}), ...extra };
  }

  #keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies) {
      if (c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const csrf = csrfOf(response.body);
    if (csrf) this.csrf = csrf;
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.#keep(
      await this.#app.inject({
        method: 'GET',
        url,
        headers: this.#headers(headers),
        remoteAddress: this.ip,
      }),
    );
  }

  /** Posts a form; `_csrf` is the last page's unless given (null: none at all). */
  async post(url: string, form: Form = {}, options: { csrf?: string | null } = {}) {
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    return this.#keep(
      await this.#app.inject({
        method: 'POST',
        url,
        headers: this.#headers({ 'content-type': 'application/x-www-form-urlencoded' }),
        payload: encode(csrf ? { _csrf: csrf, ...form } : form),
        remoteAddress: this.ip,
      }),
    );
  }

  /** Opens the sign-in page (for its token) and submits it. */
  async signIn(email: string, password: string, totp = '', page = '/admin/masuk') {
    await this.get(page);
    return this.post(page, { email, password, totp });
  }
}

export function locationOf(response: LightMyRequestResponse): string {
  const location = response.headers.location;
  return typeof location === 'string' ? location : '';
}

/**
 * Signs in through the pages, enrolling TOTP on the way when needed (a
 * one-time password is changed to `newPassword`); returns the TOTP secret.
 * The clock moves on a step after each code, which is never accepted twice.
 */
export async function signInThroughPages(
  client: PageClient,
  clock: Clock & { advance(ms: number): void },
  email: string,
  password: string,
  options: { secret?: string; newPassword?: string } = {},
): Promise<string> {
  if (options.secret) {
    const done = await client.signIn(email, password, await totpCode(options.secret, clock.now()));
    clock.advance(30_000);
    if (done.statusCode !== 303) throw new Error(`sign-in failed: ${done.statusCode}`);
    return options.secret;
  }
  const first = await client.signIn(email, password);
  if (locationOf(first) !== '/admin/totp') throw new Error(`expected enrolment: ${first.body}`);
  const secret = secretOf((await client.get('/admin/totp')).body);
  const enrolled = await client.post('/admin/totp', { code: await totpCode(secret, clock.now()) });
  clock.advance(30_000);
  if (locationOf(enrolled) === '/admin/kata-sandi') {
    const newPassword = options.newPassword ?? 'my own new passphrase 42';
    await client.get('/admin/kata-sandi');
    const changed = await client.post('/admin/kata-sandi', {
      currentPassword: password,
      newPassword,
      confirmPassword: newPassword,
    });
    if (changed.statusCode !== 303) throw new Error(`password change failed: ${changed.body}`);
  } else if (enrolled.statusCode !== 303) {
    throw new Error(`enrolment failed: ${enrolled.body}`);
  }
  return secret;
}
