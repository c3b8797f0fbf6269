// Operators in tests: create them through the service, sign in through the
// API with real TOTP codes, and keep the cookie and CSRF token like a browser.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { totpCode } from '../../src/operators/totp.ts';
import type { Runtime } from '../../src/main.ts';
import type { Clock } from '../../src/shared/clock.ts';

export const cliActor = { type: 'cli', id: null, label: 'test' } as const;

export class AdminClient {
  readonly #app: FastifyInstance;
  cookie: string | undefined;
  csrf: string | undefined;
  ip: string;

  constructor(app: FastifyInstance, ip = '127.0.0.1') {
    this.#app = app;
    this.ip = ip;
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    options: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = `cekrek_session=${this.cookie}`;
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf) headers['x-csrf-token'] = csrf;
    const response = await this.#app.inject({
      method,
      url,
      headers,
      remoteAddress: this.ip,
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    const set = response.cookies.find((c) => c.name === 'cekrek_session');
    if (set) this.cookie = set.value === '' ? undefined : set.value;
    const json = response.headers['content-type']?.toString().includes('json')
      ? (response.json<{ csrfToken?: string }>() ?? {})
      : {};
    if (json.csrfToken) this.csrf = json.csrfToken;
    return response;
  }

  signIn(email: string, password: string, totp?: string) {
    return this.request('POST', '/api/v1/admin/session', {
      email,
      password,
      ...(totp ? { totp } : {}),
    });
  }
}

export async function createOperator(
  runtime: Runtime,
  email: string,
  roles: string[],
  password = 'a long test password 123',
) {
  return runtime.services.operators.create({ email, roles, password }, cliActor);
}

/** Signs in, enrolling TOTP on the way if needed; returns the client and the TOTP secret. */
export async function signedIn(
  runtime: Runtime,
  clock: Clock & { advance(ms: number): void },
  email: string,
  password = 'a long test password 123',
  secret?: string,
): Promise<{ client: AdminClient; secret: string }> {
  const client = new AdminClient(runtime.app);
  if (secret) {
    const response = await client.signIn(email, password, await totpCode(secret, clock.now()));
    if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
    clock.advance(30_000);
    return { client, secret };
  }
  const first = await client.signIn(email, password);
  const enrollment = first.json<{ enrollment?: { secret: string } }>().enrollment;
  if (!enrollment) throw new Error(`expected enrolment: ${first.body}`);
  const enrolled = await client.request('POST', '/api/v1/admin/totp', {
    code: await totpCode(enrollment.secret, clock.now()),
  });
  if (enrolled.statusCode !== 200) throw new Error(`enrolment failed: ${enrolled.body}`);
  // The next code must come from a later time step (a code is never accepted twice).
  clock.advance(30_000);
  return { client, secret: enrollment.secret };
}
