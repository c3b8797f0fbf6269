// A file refused for its size or its type is named in the refusal: the field
// it came in, the file's name and the limit it passed, in the problem body of
// the API (codes unchanged: 413 payload_too_large, 415 unsupported_file_type)
// and in the form that comes back. A form refused for good (a duplicate, the
// rate limit) does not ask for its files again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { env: { UPLOAD_MAX_FILE_MB: '1' } });
});

afterAll(async () => {
  await runtime?.close();
});

/** A JPEG's signature, then more bytes than the 1 MB limit allows. */
const oversized = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1_200_000)]);
const program = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(500)]);

async function send(
  url: string,
  number: string,
  files: { content: Buffer; fileName: string }[],
  accept: string,
) {
  const body = await multipart(
    { ...validReportFields, number },
    files.map((f) => ({ name: 'evidence', ...f })),
  );
  return runtime.app.inject({
    method: 'POST',
    url,
    payload: body.payload,
    headers: { ...body.headers, accept },
  });
}

describe('the API', () => {
  it('answers 413 payload_too_large naming the field, the file and the limit', async () => {
    const response = await send(
      '/api/v1/reports',
      '7780001111',
      [{ content: oversized, fileName: 'besar.jpg' }],
      'application/json',
    );
    expect(response.statusCode).toBe(413);
    const problem = response.json<Record<string, unknown>>();
    expect(problem).toMatchObject({
      code: 'payload_too_large',
      detail:
        'Berkas “besar.jpg” lebih besar dari batas 1 MB per berkas. Pilih berkas yang lebih kecil.',
      errors: [{ field: 'evidence', message: 'Berkas terlalu besar.' }],
    });
  });

  it('answers 415 unsupported_file_type naming the file, in English when asked', async () => {
    const body = await multipart({ ...validReportFields, number: '7780002222' }, [
      { name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' },
      { name: 'evidence', content: program, fileName: 'foto.jpg' },
    ]);
    const response = await runtime.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: body.payload,
      headers: { ...body.headers, accept: 'application/json', 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({
      code: 'unsupported_file_type',
      detail: 'The file “foto.jpg” cannot be accepted: send a JPEG, PNG, WebP or PDF file.',
      errors: [{ field: 'evidence', message: 'Unsupported file type.' }],
    });
  });
});

describe('the form', () => {
  it('comes back with the file and the limit named, as typed', async () => {
    const response = await send(
      '/lapor',
      '7780003333',
      [{ content: oversized, fileName: 'besar.jpg' }],
      'text/html',
    );
    expect(response.statusCode).toBe(413);
    const summary = /<section class="error-summary"[\s\S]*?<\/section>/.exec(response.body)![0];
    expect(summary).toContain('Berkas “besar.jpg” lebih besar dari batas 1 MB per berkas.');
    expect(summary).toContain('<a href="#evidence">Berkas bukti: Berkas terlalu besar.</a>');
    expect(response.body).toMatch(/id="holderName"[^>]*value="Budi Santoso"/);
  });

  it('does not ask for the files again when sending again cannot succeed', async () => {
    const files = [{ content: await smallJpeg(2), fileName: 'bukti.jpg' }];
    expect((await send('/lapor', '7780004444', files, 'text/html')).statusCode).toBe(200);
    const again = await send('/lapor', '7780004444', files, 'text/html');
    expect(again.statusCode).toBe(409);
    expect(again.body).not.toContain('pilih lagi berkasnya');
    expect(again.body).not.toMatch(/id="evidence"[^>]*aria-invalid/);
  });
});
