// readMultipart through a small Fastify app: real multipart bodies, the limits
// answered with the API's error codes, and no staged file left behind on error.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { FileStore, type FileLimits } from '../src/files/files.service.ts';
import {
  multipartSupport,
  readMultipart,
  type MultipartLimits,
} from '../src/files/multipart.http.ts';
import { statusByCode } from '../src/http/problems.ts';
import { systemClock } from '../src/shared/clock.ts';
import { isAppError } from '../src/shared/errors.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  tempDir,
  type TestDatabase,
} from './support/databases.ts';

const box = new SecretBox('a-test-secret-key-for-multipart-forms-00');
const boundary = '----cekrekFormBoundary7MA4YWxkTrZu0gW';

type Part =
  { name: string; value: string } | { name: string; filename: string; data: Buffer; type?: string };

function partBytes(part: Part): Buffer {
  if ('value' in part) {
    return Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
    );
  }
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; ` +
    `filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'image/jpeg'}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), part.data, Buffer.from('\r\n')]);
}

function formBody(parts: readonly Part[], { close = true } = {}): Buffer {
  return Buffer.concat([...parts.map(partBytes), Buffer.from(close ? `--${boundary}--\r\n` : '')]);
}

const multipartType = `multipart/form-data; boundary=${boundary}`;

function pdf(text = 'a transfer receipt'): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'latin1');
}

const tinyJpeg = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#358' } })
    .jpeg()
    .toBuffer();

for (const dialect of dialects) {
  describeOn(dialect)(`readMultipart on ${dialect}`, () => {
    let t: TestDatabase;
    let dataDir: string;
    let store: FileStore;
    let app: FastifyInstance;

    function staging(): string[] {
      return existsSync(store.directory) ? readdirSync(store.directory) : [];
    }

    async function buildApp(storeLimits: Partial<FileLimits> = {}, formLimits?: MultipartLimits) {
      store = new FileStore(
        { database: t.database, box, clock: systemClock, dataDir },
        storeLimits,
      );
      app = Fastify({ logger: false });
      app.setErrorHandler((error, _request, reply) => {
        if (isAppError(error)) {
          return reply.status(statusByCode[error.code]).send({
            code: error.code,
            params: error.params,
            errors: error.errors,
          });
        }
        return reply.status(500).send({ code: 'internal_error', message: String(error) });
      });
      await app.register(multipartSupport);
      app.post('/submit', async (request) => {
        const form = await readMultipart(request, {
          store,
          fileFields: { evidence: { max: 5 }, idCardPhoto: { max: 1, sensitive: true } },
          limits: formLimits,
        });
        const recorded = await store.withStagedFiles(form.staged, (files) =>
          t.database.db
            .transaction()
            .execute((trx) => store.recordFiles(trx, { kind: 'report', id: 7 }, files)),
        );
        return {
          fields: form.fields,
          files: Object.fromEntries(
            Object.entries(form.files).map(([field, files]) => [
              field,
              files.map((f) => ({ mime: f.mime, name: f.originalName, sensitive: f.sensitive })),
            ]),
          ),
          recorded: recorded.length,
        };
      });
      await app.ready();
    }

    function post(payload: Buffer | Readable, headers: Record<string, string> = {}) {
      return app.inject({
        method: 'POST',
        url: '/submit',
        headers: { 'content-type': multipartType, ...headers },
        payload,
      });
    }

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await t.close();
    });
    afterEach(async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    beforeAll(() => {
      dataDir = tempDir('cekrek-multipart-');
    });
    afterEach(() => {
      dataDir = tempDir('cekrek-multipart-');
    });

    it('reads text fields and stages the files, typed by content', async () => {
      await buildApp();
      const response = await post(
        formBody([
          { name: 'holderName', value: 'Budi Santoso' },
          { name: 'chronology', value: 'Saya transfer lalu penjual menghilang.' },
          { name: 'evidence', filename: 'chat.png', data: await tinyJpeg() },
          { name: 'evidence', filename: 'receipt.jpg', data: pdf(), type: 'image/jpeg' },
          { name: 'idCardPhoto', filename: 'ktp.jpg', data: await tinyJpeg() },
        ]),
      );
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        fields: {
          holderName: 'Budi Santoso',
          chronology: 'Saya transfer lalu penjual menghilang.',
        },
        files: {
          evidence: [
            { mime: 'image/jpeg', name: 'chat.png', sensitive: false },
            { mime: 'application/pdf', name: 'receipt.jpg', sensitive: false },
          ],
          idCardPhoto: [{ mime: 'image/jpeg', name: 'ktp.jpg', sensitive: true }],
        },
        recorded: 3,
      });
      expect(staging()).toHaveLength(3);
    });

    it('takes an empty file input for no file', async () => {
      await buildApp();
      const response = await post(
        formBody([
          { name: 'evidence', filename: 'a.pdf', data: pdf() },
          {
            name: 'idCardPhoto',
            filename: '',
            data: Buffer.alloc(0),
            type: 'application/octet-stream',
          },
        ]),
      );
      expect(response.statusCode).toBe(200);
      expect(response.json<{ files: unknown }>().files).toEqual({
        evidence: [{ mime: 'application/pdf', name: 'a.pdf', sensitive: false }],
        idCardPhoto: [],
      });
    });

    it('refuses six files in a five-file field and keeps none', async () => {
      await buildApp({ maxFiles: 10 });
      const evidence = Array.from({ length: 6 }, (_, i) => ({
        name: 'evidence',
        filename: `bukti-${i}.pdf`,
        data: pdf(`page ${i}`),
      }));
      const response = await post(formBody(evidence));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'too_many_files', params: { max: 5 } });
      expect(staging()).toEqual([]);
    });

    it('refuses more files than a submission may carry and keeps none', async () => {
      await buildApp({ maxFiles: 3 });
      const response = await post(
        formBody([
          ...Array.from({ length: 3 }, (_, i) => ({
            name: 'evidence',
            filename: `${i}.pdf`,
            data: pdf(),
          })),
          { name: 'idCardPhoto', filename: 'ktp.jpg', data: await tinyJpeg() },
        ]),
      );
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'too_many_files', params: { max: 3 } });
      expect(staging()).toEqual([]);
    });

    it('answers a truncated body with bad_request and keeps none', async () => {
      await buildApp();
      const whole = formBody([
        { name: 'evidence', filename: 'one.pdf', data: pdf() },
        { name: 'evidence', filename: 'two.pdf', data: pdf('x'.repeat(20_000)) },
      ]);
      const response = await post(whole.subarray(0, whole.length - 10_000));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'bad_request' });
      expect(staging()).toEqual([]);
    });

    it('answers a body without its closing boundary with bad_request', async () => {
      await buildApp();
      const response = await post(
        formBody([{ name: 'evidence', filename: 'one.pdf', data: pdf() }], { close: false }),
      );
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'bad_request' });
      expect(staging()).toEqual([]);
    });

    it('refuses a renamed executable after a good file, and keeps neither', async () => {
      await buildApp();
      const elf = Buffer.concat([
        Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'),
        Buffer.alloc(256),
      ]);
      const response = await post(
        formBody([
          { name: 'evidence', filename: 'good.pdf', data: pdf() },
          { name: 'evidence', filename: 'photo.jpg', data: elf },
        ]),
      );
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ code: 'unsupported_file_type' });
      expect(staging()).toEqual([]);
    });

    it('stops reading a streamed file past the size limit', async () => {
      await buildApp({ maxFileBytes: 256 * 1024 });
      // inject reads a stream payload whole before the route sees it; a socket does not.
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      const head = partBytes({ name: 'evidence', filename: 'big.jpg', data: Buffer.alloc(0) });
      let pulled = 0;
      const body = Readable.from(
        (function* () {
          yield Buffer.concat([head.subarray(0, head.length - 2), Buffer.from([0xff, 0xd8, 0xff])]);
          // 50 MB that never ends in a boundary: only the limit can stop it.
          for (let i = 0; i < 800; i += 1) {
            pulled += 1;
            yield chunk;
          }
        })(),
      );
      const { status, text } = await new Promise<{ status: number; text: string }>(
        (resolve, reject) => {
          const request = httpRequest(
            {
              port,
              host: '127.0.0.1',
              method: 'POST',
              path: '/submit',
              headers: { 'content-type': multipartType },
            },
            (response) => {
              let text = '';
              response.setEncoding('utf8');
              response.on('data', (piece: string) => (text += piece));
              response.on('end', () => {
                resolve({ status: response.statusCode ?? 0, text });
                body.destroy();
                request.destroy();
              });
            },
          );
          request.on('error', reject);
          body.pipe(request);
        },
      );
      expect(status).toBe(413);
      expect(JSON.parse(text)).toMatchObject({ code: 'payload_too_large' });
      // What socket buffers hold aside, far less than the 50 MB offered was taken.
      expect(pulled).toBeLessThan(400);
      expect(staging()).toEqual([]);
    });

    it('refuses a declared length past any valid form before reading it', async () => {
      await buildApp({ maxRequestBytes: 1024 }, { maxFields: 2, maxFieldBytes: 100 });
      const response = await post(
        formBody([{ name: 'evidence', filename: 'a.pdf', data: pdf('x'.repeat(80_000)) }]),
      );
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ code: 'payload_too_large' });
    });

    it('refuses an over-long text field and too many fields', async () => {
      await buildApp({}, { maxFields: 3, maxFieldBytes: 100 });
      const long = await post(formBody([{ name: 'chronology', value: 'x'.repeat(101) }]));
      expect(long.statusCode).toBe(413);
      const many = await post(
        formBody(Array.from({ length: 4 }, (_, i) => ({ name: `f${i}`, value: 'x' }))),
      );
      expect(many.statusCode).toBe(413);
    });

    it('refuses a file in a field that takes none, and a repeated text field', async () => {
      await buildApp();
      const stray = await post(
        formBody([
          { name: 'evidence', filename: 'a.pdf', data: pdf() },
          { name: 'avatar', filename: 'me.jpg', data: await tinyJpeg() },
        ]),
      );
      expect(stray.statusCode).toBe(400);
      expect(stray.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'avatar' }],
      });
      const twice = await post(
        formBody([
          { name: 'number', value: '1234567890' },
          { name: 'number', value: '0987654321' },
        ]),
      );
      expect(twice.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'number' }],
      });
      expect(staging()).toEqual([]);
    });

    it('answers a request that is not multipart with unsupported_media_type', async () => {
      await buildApp();
      const response = await app.inject({
        method: 'POST',
        url: '/submit',
        headers: { 'content-type': 'application/json' },
        payload: { evidence: 'x' },
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ code: 'unsupported_media_type' });
    });
  });
}
