// An S3-compatible server for tests: s3rver, run in a child process on a
// free loopback port, keeping its objects in a temporary folder. s3rver does
// NOT check request signatures (any well-formed V4 signature from its one
// account, S3RVER, is accepted): it proves what cekrek stores, lists and
// reads back over the S3 API, not authentication. Production uses a real S3,
// MinIO or Garage, which do check them.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Settings } from '../../src/config.ts';
import { tempDir } from './databases.ts';

export interface TestS3 {
  readonly endpoint: string;
  /** A bucket of its own, created empty. */
  newBucket(): Promise<string>;
  /** Settings for the store at this bucket and prefix ('' or ending in '/'). */
  settings(bucket: string, prefix?: string): S3Settings;
  /** The variables a cekrek process needs for this bucket and prefix. */
  env(bucket: string, prefix?: string): Record<string, string>;
  /** Straight at the server, past cekrek: what is really stored. */
  readonly raw: RawBucket;
  close(): Promise<void>;
}

export interface RawBucket {
  keys(bucket: string, prefix?: string): Promise<string[]>;
  get(bucket: string, key: string): Promise<Buffer>;
  put(bucket: string, key: string, bytes: Buffer): Promise<void>;
}

/** s3rver's one account; it checks no signature, so any secret does. */
const accessKeyId = 'S3RVER';
const secretAccessKey = 'a-test-s3-secret-that-is-never-logged';

/** Starts s3rver (support/s3-server.mjs) and waits for the port it listens on. */
async function startServer(directory: string) {
  const script = join(import.meta.dirname, 's3-server.mjs');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', script, directory], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the S3 test server did not start');
    }),
  ])) as [string];
  lines.close();
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin.end();
    await exited;
  };
  return { port: Number(first), stop };
}

export async function startTestS3(): Promise<TestS3> {
  const directory = tempDir('cekrek-s3-');
  const server = await startServer(directory);
  const { port } = server;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const raw: RawBucket = {
    async keys(bucket, prefix = '') {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async get(bucket, key) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    },
    async put(bucket, key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
  };
  const settings = (bucket: string, prefix = ''): S3Settings => ({
    bucket,
    prefix,
    endpoint,
    region: 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: true,
  });
  return {
    endpoint,
    raw,
    settings,
    async newBucket() {
      const bucket = `cekrek-${randomBytes(6).toString('hex')}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    env(bucket, prefix = '') {
      return {
        FILE_STORE_URL: `s3://${bucket}/${prefix}`,
        S3_ENDPOINT: endpoint,
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: accessKeyId,
        S3_SECRET_ACCESS_KEY: secretAccessKey,
        S3_FORCE_PATH_STYLE: 'on',
      };
    },
    async close() {
      client.destroy();
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
