// Every route, fed arbitrary input: path parameters, query strings, headers
// and bodies (JSON after the schema, multipart and form bodies, and junk),
// with NUL, lone surrogates, bytes that are not UTF-8, broken
// percent-encoding, huge numbers and arrays where strings belong. The API's
// operations come from its own OpenAPI document; the pages from the back
// office's route list and the public pages. Signed out, and signed in as an
// operator holding every role (so validation behind the access check is
// reached too). Whatever comes in, the answer is below 500, and the API's
// refusals are problem bodies. Reproduce a failure with
// CEKREK_FUZZ_SEED=<seed> (and CEKREK_FUZZ_RUNS for a longer run).
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { roles } from '../src/operators/policy.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { describeOn, dialects } from './support/databases.ts';
import { seedReports } from './support/factories.ts';
import { createOperator, signedIn, type AdminClient } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const seed = Number(process.env.CEKREK_FUZZ_SEED ?? 20_260_301);
const runs = Number(process.env.CEKREK_FUZZ_RUNS ?? 600);
/** Generous: a request takes a few milliseconds, on a busy machine many more. */
const timeout = Math.max(60_000, runs * 50);

interface SchemaObject {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly properties?: Record<string, SchemaObject>;
  readonly items?: SchemaObject;
  readonly anyOf?: readonly SchemaObject[];
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly schema?: SchemaObject;
}

interface Operation {
  readonly method: string;
  /** With `{name}` placeholders, as the document writes it. */
  readonly path: string;
  readonly parameters: readonly Parameter[];
  /** The JSON body's schema, when the operation documents one. */
  readonly jsonBody?: SchemaObject;
}

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string | Buffer;
  readonly signedIn: boolean;
}

// ---------------------------------------------------------------------------
// Values

const nasty = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uFFFD',
  '\u202Eabc',
  '\u200B\u200B',
  '%00',
  '%',
  '%ZZ',
  '%FF',
  '%E0%A4',
  '%C0%80',
  '%ED%A0%80',
  '1e400',
  '-1',
  '0',
  '1',
  '2',
  '2147483647',
  '2147483648',
  '9007199254740993',
  '99999999999999999999999',
  'NaN',
  '',
  ' ',
  '..',
  '../../etc/passwd',
  'null',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '2025-02-30',
  '0000-01-01',
  '9999-12-31',
  '2026-03-01T00:00:00Z',
  '0000-01-01T00:00:00+14:00',
  '275760-09-13T00:00:00Z',
  'x'.repeat(300),
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '014',
  '1234567890',
  'ovo',
  'true',
);

const junkString = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

const { junk } = fc.letrec<{ junk: unknown }>((tie) => ({
  junk: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    junkString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('junk'), { maxLength: 3 }),
    fc.dictionary(junkString, tie('junk'), { maxKeys: 3 }),
  ),
}));

function typesOf(schema: SchemaObject): string[] {
  if (schema.anyOf) return schema.anyOf.flatMap(typesOf);
  return [schema.type ?? []].flat();
}

/** A value the schema would take, near enough to reach the checks behind it. */
function plausible(schema: SchemaObject | undefined): fc.Arbitrary<unknown> {
  if (!schema) return junkString;
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.includes('integer') || types.includes('number')) {
    return fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant(2 ** 31), fc.constant(1e300));
  }
  if (types.includes('boolean')) return fc.boolean();
  if (types.includes('array')) return fc.array(plausible(schema.items), { maxLength: 3 });
  if (types.includes('object') && schema.properties) return objectFor(schema);
  if (schema.format === 'date-time') {
    return fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constant('2026-03-10T10:00:00+07:00'),
    );
  }
  if (schema.format === 'date') return fc.constantFrom('2026-02-01', '2025-02-30', '2026-13-01');
  return fc.oneof(
    fc.string({ minLength: 0, maxLength: 40 }),
    fc.constantFrom('Budi Santoso', 'a reason that is long enough', 'admin', 'verify'),
  );
}

function valueFor(schema: SchemaObject | undefined): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 2, arbitrary: plausible(schema) }, { weight: 1, arbitrary: junk });
}

function objectFor(schema: SchemaObject): fc.Arbitrary<Record<string, unknown>> {
  const shape = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, inner]) => [name, valueFor(inner)]),
  );
  return fc.record(shape, { requiredKeys: [] });
}

/** Percent-encodes as a client would; a lone surrogate becomes the bytes of one (not UTF-8). */
function encode(value: string): string {
  let out = '';
  for (const char of value) {
    try {
      out += encodeURIComponent(char);
    } catch {
      const unit = char.charCodeAt(0);
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  }
  return out;
}

/** In a URL: usually encoded, sometimes as it came when it is plain ASCII (broken encodings). */
function inUrl(value: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.tuple(value, fc.boolean()).map(([v, raw]) => {
    const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
    return raw && /^[\x21-\x7E]*$/.test(text) && !/[/?#]/.test(text) ? text : encode(text);
  });
}

/** A header value: printable ASCII only, as HTTP carries it. */
const headerValue = junkString.map((v) => encode(v).slice(0, 200));

function queryString(
  params: readonly Parameter[],
  extraNames: readonly string[],
): fc.Arbitrary<string> {
  const documented = params.map((p) =>
    fc.option(
      fc.tuple(fc.constant(p.name), inUrl(valueFor(p.schema))).map(([n, v]) => `${n}=${v}`),
      { nil: undefined },
    ),
  );
  const extra = fc.array(
    fc.tuple(inUrl(fc.constantFrom(...extraNames)), inUrl(junk)).map(([n, v]) => `${n}=${v}`),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...documented), extra).map(([a, b]) => {
    const pairs = [...a.filter((x): x is string => x !== undefined), ...b];
    return pairs.length ? `?${pairs.join('&')}` : '';
  });
}

// ---------------------------------------------------------------------------
// Bodies

/** The fields of the multipart and urlencoded forms, and some that no form has. */
const formFieldNames = [
  'provider',
  'number',
  'holderName',
  'category',
  'chronology',
  'amount',
  'transferDate',
  'incidentTime',
  'platform',
  'city',
  'reporterName',
  'reporterEmail',
  'reporterPhone',
  'businessName',
  'businessType',
  'businessTypeOther',
  'nik',
  'phone',
  'email',
  'statement',
  'altcha',
  'decision',
  'reason',
  'note',
  'question',
  'party',
  'scheduledAt',
  'place',
  'videoLink',
  'session',
  'outcome',
  'confirm',
  'roles',
  'password',
  'totp',
  'code',
  'tiket',
  'token',
  'sig',
  'nama',
  'answer',
  'questionId',
  'status',
  'from',
  'to',
  'page',
  'lang',
  'next',
  '__proto__',
];
const fileFieldNames = ['evidence', 'savingsBookPhoto', 'idCardPhoto', 'businessPermit', 'files'];

/** Bytes of a field value: its UTF-8, or bytes that are not UTF-8 at all. */
const fieldBytes = fc.oneof(
  { weight: 4, arbitrary: junkString.map((v) => Buffer.from(v, 'utf8')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.constant(Buffer.from([0x61, 0xff, 0xfe, 0x00, 0x62])) },
);

function multipartBody(
  parts: readonly { name: string; value: Buffer; file: boolean }[],
  boundary: string,
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file
      ? `form-data; name="${part.name}"; filename="f\u202Egpj.exe"`
      : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n`));
    if (part.file) chunks.push(Buffer.from('Content-Type: application/octet-stream\r\n'));
    chunks.push(Buffer.from('\r\n'), part.value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const multipartParts = fc.array(
  fc.oneof(
    fc.record({
      name: fc.constantFrom(...formFieldNames),
      value: fieldBytes,
      file: fc.constant(false),
    }),
    fc.record({
      name: fc.constantFrom(...fileFieldNames),
      value: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      file: fc.constant(true),
    }),
  ),
  { maxLength: 8 },
);

type Body = { readonly headers: Record<string, string>; readonly payload?: string | Buffer };

function bodyFor(operation: { jsonBody?: SchemaObject }): fc.Arbitrary<Body> {
  const json = operation.jsonBody
    ? objectFor(operation.jsonBody)
    : fc.dictionary(fc.constantFrom(...formFieldNames), junk, { maxKeys: 4 });
  const boundary = 'cekrekfuzz';
  return fc.oneof(
    { weight: 4, arbitrary: json.map((b) => jsonBody(JSON.stringify(b))) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{"a":', '', 'null', '[]', '"\\u0000"', '{"__proto__":{"x":1}}', '1e400')
        .map(jsonBody),
    },
    {
      weight: 1,
      arbitrary: fieldBytes.map((b) => ({
        headers: { 'content-type': 'application/json' },
        payload: Buffer.concat([Buffer.from('{"email":"'), b, Buffer.from('"}')]),
      })),
    },
    {
      weight: 2,
      arbitrary: multipartParts.map((parts) => ({
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: multipartBody(parts, boundary),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.tuple(inUrl(fc.constantFrom(...formFieldNames)), inUrl(junkString)), {
          maxLength: 6,
        })
        .map((pairs) => ({
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: pairs.map(([n, v]) => `${n}=${v}`).join('&'),
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body>(
        { headers: { 'content-type': 'text/xml' }, payload: '<a/>' },
        { headers: { 'content-type': 'multipart/form-data' }, payload: 'no boundary' },
        { headers: { 'content-type': 'application/json; charset=latin1' }, payload: '{}' },
        { headers: {} },
      ),
    },
  );
}

function jsonBody(payload: string): Body {
  return { headers: { 'content-type': 'application/json' }, payload };
}

// ---------------------------------------------------------------------------
// Requests

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function requestFor(operation: Operation): fc.Arbitrary<Omit<Sent, 'signedIn'>> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const path = fc
    .tuple(...pathParams.map((p) => inUrl(valueFor(p.schema))))
    .map((values) =>
      pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, values[i]!), operation.path),
    );
  const query = queryString(
    operation.parameters.filter((p) => p.in === 'query'),
    ['lang', 'page', '__proto__', 'x'],
  );
  const headerParams = operation.parameters.filter((p) => p.in === 'header');
  const headers = fc.record(
    {
      ...Object.fromEntries(headerParams.map((p) => [p.name, headerValue])),
      'accept-language': headerValue,
      'x-request-id': headerValue,
      accept: fc.constantFrom('application/json', 'text/html', '*/*'),
      cookie: fc
        .tuple(fc.constantFrom('cekrek_session', 'cekrek_signin', 'lang'), headerValue)
        .map(([name, value]) => `${name}=${value}`),
    },
    { requiredKeys: ['accept'] },
  );
  // Now and then another method on the same address: HEAD, OPTIONS, one it does not take.
  const method = fc.oneof(
    { weight: 9, arbitrary: fc.constant(operation.method) },
    { weight: 1, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'PATCH', 'DELETE') },
  );
  const body = writes.has(operation.method)
    ? bodyFor(operation)
    : fc.constant<Body>({ headers: {} });
  return fc.tuple(method, path, query, headers, body).map(([m, p, q, h, b]) => ({
    method: m,
    url: p + q,
    headers: { ...h, ...b.headers },
    ...(b.payload === undefined ? {} : { payload: b.payload }),
  }));
}

function operationsOf(document: {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>>;
}): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const body = operation.requestBody as
        { content?: Record<string, { schema?: SchemaObject }> } | undefined;
      const jsonBody = body?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        ...(jsonBody ? { jsonBody } : {}),
      });
    }
  }
  return operations;
}

/** The public pages (the back office's come from the app's own list of admin routes). */
const publicPages: readonly Operation[] = [
  ['GET', '/'],
  ['GET', '/tentang'],
  ['GET', '/cek'],
  ['GET', '/rekening/{provider}/{number}'],
  ['GET', '/lapor'],
  ['POST', '/lapor'],
  ['GET', '/lacak'],
  ['GET', '/lacak/jawab'],
  ['POST', '/lacak/jawab'],
  ['GET', '/daftar-penjual'],
  ['POST', '/daftar-penjual'],
  ['GET', '/daftar-penjual/bukti'],
  ['POST', '/daftar-penjual/bukti'],
  ['GET', '/penjual/{publicId}'],
  ['GET', '/penjual/{publicId}/cek-nama'],
  ['POST', '/penjual/{publicId}/cek-nama'],
  ['GET', '/penjual/{publicId}/qr.svg'],
  ['GET', '/penjual/{publicId}/lencana.svg'],
  ['GET', '/penjual/{publicId}/qr.png'],
  ['GET', '/rekening/{provider}/{number}/penjual'],
  ['GET', '/normalisasi'],
  ['POST', '/normalisasi'],
].map(([method, path]) => pageOperation(method!, path!));

function pageOperation(method: string, path: string): Operation {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return {
    method,
    path,
    parameters: [
      ...names.map((name) => ({ name, in: 'path' as const })),
      ...['tiket', 'token', 'sig', 'q', 'provider', 'number', 'status', 'from', 'to', 'action'].map(
        (name) => ({ name, in: 'query' as const }),
      ),
    ],
  };
}

function describeSent(sent: Sent, response: LightMyRequestResponse): string {
  const payload =
    sent.payload === undefined
      ? ''
      : Buffer.isBuffer(sent.payload)
        ? sent.payload.toString('base64')
        : sent.payload;
  return JSON.stringify({ ...sent, payload, status: response.statusCode, body: response.body });
}

for (const dialect of dialects) {
  describeOn(dialect)(`arbitrary input to every route on ${dialect}`, () => {
    let runtime: TestRuntime;
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    let admin: AdminClient;
    let operators = 0;
    let api: Operation[] = [];
    let pages: Operation[] = [];

    /** A fresh operator with every role: a fuzzed request may have reset the last one. */
    async function freshAdmin(): Promise<AdminClient> {
      operators += 1;
      const email = `fuzz${operators}@cekrek.test`;
      await createOperator(runtime, email, [...roles]);
      return (await signedIn(runtime, clock, email)).client;
    }

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        clock,
        env: { SIGN_IN_RATE_LIMIT: '0' },
      });
      await seedReports(runtime.database, [
        { provider: '014', number: '1234567890' },
        { provider: 'ovo', number: '081234567890', status: 'submitted' },
      ]);
      admin = await freshAdmin();
      const document = await runtime.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      api = operationsOf(document.json());
      pages = [
        ...publicPages,
        ...runtime.app.adminRoutes
          .filter((r) => !r.url.startsWith('/api/'))
          .map((r) => pageOperation(r.method, r.url.replace(/:(\w+)/g, '{$1}'))),
      ];
    });
    afterAll(async () => {
      await runtime.close();
    });

    async function send(sent: Sent): Promise<LightMyRequestResponse> {
      const headers = { ...sent.headers };
      if (sent.signedIn && admin.cookie) {
        headers.cookie = `cekrek_session=${admin.cookie}`;
        if (admin.csrf) headers['x-csrf-token'] = admin.csrf;
      }
      const options: InjectOptions = {
        method: sent.method,
        url: sent.url,
        headers,
        ...(sent.payload === undefined ? {} : { payload: sent.payload }),
      };
      const response = await runtime.app.inject(options);
      // A request may have signed the operator out or reset them: carry on with another.
      const code = problemCode(response);
      if (
        sent.signedIn &&
        ['unauthorized', 'enrollment_required', 'password_change_required'].includes(code ?? '')
      ) {
        admin = await freshAdmin();
      }
      return response;
    }

    function expectHandled(sent: Sent, response: LightMyRequestResponse) {
      const what = describeSent(sent, response);
      expect(response.statusCode, what).toBeLessThan(500);
      if (response.statusCode < 400 || sent.method === 'HEAD') return;
      // A problem body, or for a browser on a page the error page: never the framework's own.
      const type = String(response.headers['content-type'] ?? '');
      if (sent.url.startsWith('/api/') || !type.startsWith('text/html')) {
        expect(type, what).toContain('application/problem+json');
        expect(problemCode(response), what).toMatch(/^[a-z_]+$/);
      }
    }

    it(
      'answers every API operation below 500, with a problem body for each refusal',
      async () => {
        expect(api.length).toBeGreaterThan(40);
        const sentArbitrary = fc
          .tuple(fc.constantFrom(...api), fc.boolean())
          .chain(([operation, signedIn]) =>
            requestFor(operation).map((r): Sent => ({ ...r, signedIn })),
          );
        await fc.assert(
          fc.asyncProperty(sentArbitrary, async (sent) => {
            expectHandled(sent, await send(sent));
          }),
          { seed, numRuns: runs, endOnFailure: true },
        );
      },
      timeout,
    );

    it(
      'answers every page below 500, signed in or not',
      async () => {
        expect(pages.length).toBeGreaterThan(30);
        const sentArbitrary = fc
          .tuple(fc.constantFrom(...pages), fc.boolean())
          .chain(([operation, signedIn]) =>
            requestFor(operation).map((r): Sent => ({
              ...r,
              headers: { ...r.headers, accept: 'text/html' },
              signedIn,
            })),
          );
        await fc.assert(
          fc.asyncProperty(sentArbitrary, async (sent) => {
            expectHandled(sent, await send(sent));
          }),
          { seed, numRuns: runs, endOnFailure: true },
        );
      },
      timeout,
    );
  });
}

function problemCode(response: LightMyRequestResponse): string | undefined {
  if (!String(response.headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    const body: unknown = response.json();
    return typeof body === 'object' && body !== null && 'code' in body
      ? String(body.code)
      : undefined;
  } catch {
    return undefined;
  }
}
