// An S3 store that cannot be reached is `unavailable` (503 with Retry-After,
// like a lost database), never a fault of cekrek; the message names the
// cause and never the secret.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { S3Blobs } from './s3-blobs.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('an S3 store out of reach', () => {
  it('makes reads, writes and listings unavailable', async () => {
    const secret = 'a-secret-that-no-message-may-hold';
    const blobs = new S3Blobs({
      bucket: 'cekrek-files',
      prefix: 'evidence/',
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      region: 'us-east-1',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: secret,
      forcePathStyle: true,
    });
    try {
      const failures = await Promise.all(
        [
          blobs.read('0'.repeat(32)),
          blobs.write('0'.repeat(32), Buffer.from('sealed')),
          blobs.remove('0'.repeat(32)),
          blobs.entries().next(),
        ].map((attempt: Promise<unknown>) =>
          attempt.then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
      for (const error of failures) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('unavailable');
        expect((error as AppError).params).toEqual({ seconds: 5 });
        expect((error as Error).message).toMatch(/file store cannot be reached: ECONNREFUSED/);
        expect((error as Error).message).not.toContain(secret);
      }
      expect(blobs.location).toBe('s3://cekrek-files/evidence/');
    } finally {
      await blobs.close();
    }
  });
});
