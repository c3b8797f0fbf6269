// Sealed files in an S3-compatible object store (AWS S3, MinIO, Garage, …)
// under FILE_STORE_URL's bucket and prefix. A PUT stores an object whole or
// not at all, so nothing partial is ever listed; a PUT that failed may still
// have been stored (a timeout after the store kept it), so it is removed
// again at once, and otherwise the sweep finds it. A store that cannot be
// reached, times out or answers 5xx is `unavailable` (503 with Retry-After),
// like a lost database. The SDK is loaded on first use: a server on the
// local disk never pays for it.
import type * as Sdk from '@aws-sdk/client-s3';
import type { S3Settings } from '../config.ts';
import {
  describeUnavailable,
  isDatabaseUnavailable,
  unavailableRetrySeconds,
} from '../db/unavailable.ts';
import { AppError } from '../shared/errors.ts';
import type { BlobEntry, BlobStore } from './blob-store.ts';

type S3Client = Sdk.S3Client;

interface Connection {
  readonly sdk: typeof Sdk;
  readonly client: S3Client;
}

/** Objects listed per request (ListObjectsV2 returns at most 1000). */
const defaultPageSize = 1000;

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** The store is down, overloaded or out of reach for now, rather than refusing the request. */
function isStoreUnavailable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  // Socket errors (refused, reset, timed out, unknown host) are told apart as for the database.
  return e?.name === 'TimeoutError' || isDatabaseUnavailable(error);
}

/** Runs one request, turning an unreachable store into `unavailable`. */
async function request<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    throw new AppError('unavailable', {
      message: `the file store cannot be reached: ${describeUnavailable(error)}`,
      params: { seconds: unavailableRetrySeconds },
      cause: error,
    });
  }
}

export class S3Blobs implements BlobStore {
  readonly location: string;
  readonly #settings: S3Settings;
  readonly #pageSize: number;
  #connection: Promise<Connection> | undefined;

  constructor(settings: S3Settings, options: { pageSize?: number } = {}) {
    this.#settings = settings;
    this.#pageSize = options.pageSize ?? defaultPageSize;
    this.location = `s3://${settings.bucket}/${settings.prefix}`;
  }

  #connect(): Promise<Connection> {
    this.#connection ??= import('@aws-sdk/client-s3').then((sdk) => {
      const s = this.#settings;
      const client = new sdk.S3Client({
        region: s.region,
        ...(s.endpoint ? { endpoint: s.endpoint } : {}),
        forcePathStyle: s.forcePathStyle,
        // From the configuration only: never the SDK's search of the environment,
        // profile files or instance metadata.
        credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
        // Checksums only where S3 requires them: many S3-compatible stores refuse the
        // newer checksum headers, and a sealed file proves its own integrity when opened.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
        // Every request on a clock: 5 s to connect, 30 s without a byte, 60 s in all.
        requestHandler: {
          connectionTimeout: 5000,
          socketTimeout: 30_000,
          requestTimeout: 60_000,
          throwOnRequestTimeout: true,
        },
      });
      return { sdk, client };
    });
    return this.#connection;
  }

  #key(name: string): string {
    return this.#settings.prefix + name;
  }

  async write(name: string, bytes: Buffer): Promise<void> {
    const { sdk, client } = await this.#connect();
    try {
      await request(() =>
        client.send(
          new sdk.PutObjectCommand({
            Bucket: this.#settings.bucket,
            Key: this.#key(name),
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: 'application/octet-stream',
          }),
        ),
      );
    } catch (error) {
      await this.remove(name).catch(() => undefined);
      throw error;
    }
  }

  async read(name: string): Promise<Buffer | undefined> {
    const { sdk, client } = await this.#connect();
    try {
      return await request(async () => {
        const object = await client.send(
          new sdk.GetObjectCommand({ Bucket: this.#settings.bucket, Key: this.#key(name) }),
        );
        return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async remove(name: string): Promise<void> {
    const { sdk, client } = await this.#connect();
    // Deleting a key that does not exist succeeds on S3.
    await request(() =>
      client.send(
        new sdk.DeleteObjectCommand({ Bucket: this.#settings.bucket, Key: this.#key(name) }),
      ),
    );
  }

  async removePartial(): Promise<void> {
    // A PUT leaves nothing partial behind.
  }

  /** The objects under the prefix, a page of ListObjectsV2 at a time. */
  async *entries(): AsyncGenerator<BlobEntry> {
    const { sdk, client } = await this.#connect();
    const prefix = this.#settings.prefix;
    let token: string | undefined;
    do {
      const page = await request(() =>
        client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.#settings.bucket,
            Prefix: prefix,
            MaxKeys: this.#pageSize,
            ContinuationToken: token,
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key?.startsWith(prefix)) continue;
        yield {
          name: object.Key.slice(prefix.length),
          modifiedAt: object.LastModified ?? new Date(0),
          partial: false,
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) (await connection).client.destroy();
  }
}
