// The API takes only the bodies it documents: a form another site makes a
// browser send (urlencoded, multipart or text/plain, none of which needs a
// CORS preflight) is refused and not acted on, even with a session and its
// CSRF token, so it can neither sign the browser in nor drive any other
// write. On both databases.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { roles } from '../src/operators/policy.ts';
import { totpCode } from '../src/operators/totp.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { describeOn, dialects } from './support/databases.ts';
import { multipart } from './support/multipart.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const password = 'a long test password 123';

/** The routes that take uploads (multipart/form-data), as documented. */
const uploadRoutes = new Set([
  'POST /api/v1/reports',
  'POST /api/v1/registrations',
  'POST /api/v1/normalizations',
  'POST /api/v1/admin/normalizations',
]);

type Body = { payload: string | Buffer; headers: Record<string, string> };

/** The bodies an HTML form on another site can send, without a preflight. */
async function crossSiteBodies(fields: Record<string, string>): Promise<[string, Body][]> {
  return [
    [
      'urlencoded',
      {
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    ],
    ['multipart', await multipart(fields)],
    [
      'text/plain',
      // enctype="text/plain" with a field named `{"email":"…","x":"` and a value `"}` spells JSON.
      { payload: JSON.stringify(fields), headers: { 'content-type': 'text/plain' } },
    ],
  ];
}

function expectRefused(response: LightMyRequestResponse, label: string) {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(415);
  expect(response.json(), label).toMatchObject({ code: 'unsupported_media_type' });
  expect(response.headers['set-cookie'], label).toBeUndefined();
}

interface Operation {
  readonly method: string;
  readonly path: string;
}

/** Every write operation of the OpenAPI document, with its path parameters filled in. */
async function apiWrites(runtime: TestRuntime): Promise<Operation[]> {
  const document = (await runtime.app.inject({ url: '/api/v1/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .map((method) => method.toUpperCase())
      .filter((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
      .map((method) => ({ method, path })),
  );
}

for (const dialect of dialects) {
  describeOn(dialect)(`API media types on ${dialect}`, () => {
    let runtime: TestRuntime;
    let secret: string;
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
      // Every role: no route refuses it for want of a permission before the media type is checked.
      await createOperator(runtime, 'victim@cekrek.test', [...roles]);
      secret = (await signedIn(runtime, clock, 'victim@cekrek.test')).secret;
    });
    afterAll(async () => {
      await runtime.close();
    });

    /** A signed-in client of the victim; a TOTP code is never taken twice, so a later time step. */
    async function victim() {
      clock.advance(30_000);
      return signedIn(runtime, clock, 'victim@cekrek.test', password, secret);
    }

    /** Valid credentials for a sign-in at the clock's next time step. */
    async function credentials(): Promise<Record<string, string>> {
      clock.advance(30_000);
      return {
        email: 'victim@cekrek.test',
        password,
        totp: await totpCode(secret, clock.now()),
      };
    }

    it('signs in only with a JSON body: a form post sets no cookie', async () => {
      // Valid credentials: only the media type stands in the way.
      for (const [label, body] of await crossSiteBodies(await credentials())) {
        const response = await runtime.app.inject({
          method: 'POST',
          url: '/api/v1/admin/session',
          payload: body.payload,
          headers: { ...body.headers, accept: 'text/html', origin: 'https://evil.example' },
        });
        expectRefused(response, label);
      }
      const json = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/admin/session',
        payload: JSON.stringify(await credentials()),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(json.statusCode, json.body).toBe(200);
      expect(json.cookies.map((c) => c.name)).toContain('cekrek_session');
    });

    it('finishes TOTP enrolment only with a JSON body, even with the session and CSRF token', async () => {
      await createOperator(runtime, 'enrolling@cekrek.test', ['reviewer']);
      const client = new AdminClient(runtime.app);
      const first = await client.signIn('enrolling@cekrek.test', password);
      const secret = first.json<{ enrollment: { secret: string } }>().enrollment.secret;
      const code = await totpCode(secret, clock.now());
      for (const [label, body] of await crossSiteBodies({ code, _csrf: client.csrf! })) {
        const response = await runtime.app.inject({
          method: 'POST',
          url: '/api/v1/admin/totp',
          payload: body.payload,
          headers: {
            ...body.headers,
            cookie: `cekrek_session=${client.cookie}`,
            'x-csrf-token': client.csrf!,
          },
        });
        expectRefused(response, label);
      }
      const session = await client.request('GET', '/api/v1/admin/session');
      expect(session.json()).toMatchObject({ stage: 'enrollment' });
      const enrolled = await client.request('POST', '/api/v1/admin/totp', { code });
      expect(enrolled.statusCode, enrolled.body).toBe(200);
      expect(enrolled.json()).toMatchObject({ stage: 'full' });
    });

    it('refuses a cross-site body on every API write, and a JSON body on the uploads', async () => {
      const writes = await apiWrites(runtime);
      for (const route of [
        'POST /api/v1/admin/session',
        'DELETE /api/v1/admin/session',
        'DELETE /api/v1/admin/sessions',
        'POST /api/v1/admin/totp',
        'POST /api/v1/admin/password',
        ...uploadRoutes,
      ]) {
        expect(writes.map((w) => `${w.method} ${w.path}`)).toContain(route);
      }
      const { client } = await victim();
      const credentials = {
        cookie: `cekrek_session=${client.cookie}`,
        'x-csrf-token': client.csrf!,
      };
      const bodies = await crossSiteBodies({ a: 'b', _csrf: client.csrf! });
      for (const { method, path } of writes) {
        // Enrolment takes an enrolment session only: tested above.
        if (`${method} ${path}` === 'POST /api/v1/admin/totp') continue;
        const url = path.replace(/\{[^}]+\}/g, '999999');
        const upload = uploadRoutes.has(`${method} ${path}`);
        const refused: [string, Body][] = upload
          ? [
              ...bodies.filter(([label]) => label !== 'multipart'),
              ['json', { payload: '{}', headers: { 'content-type': 'application/json' } }],
            ]
          : bodies;
        for (const [label, body] of refused) {
          const response = await runtime.app.inject({
            method: method as 'POST',
            url,
            payload: body.payload,
            headers: { ...body.headers, ...credentials },
          });
          expectRefused(response, `${method} ${path} (${label})`);
        }
      }
      // The session survived all of it.
      expect((await client.request('GET', '/api/v1/admin/session')).statusCode).toBe(200);
    });

    it('still takes a write without a body', async () => {
      const { client } = await victim();
      const next = await client.request('POST', '/api/v1/admin/reports/next');
      expect(next.statusCode, next.body).toBe(204);
      const signedOut = await runtime.app.inject({
        method: 'DELETE',
        url: '/api/v1/admin/session',
        headers: { cookie: `cekrek_session=${client.cookie}`, 'x-csrf-token': client.csrf! },
      });
      expect(signedOut.statusCode, signedOut.body).toBe(204);
    });
  });
}
