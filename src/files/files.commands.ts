// `cekrek files migrate --to s3|disk`: moves the stored files from the local
// disk (DATA_DIR/files) to the S3 store that FILE_STORE_URL names, or back.
// Each file is copied, read back and compared, and only then deleted from
// where it was, so an interruption at any point leaves every file in one
// store or in both; running the command again finishes the job. The files
// move as they are, sealed: nothing is decrypted on the way.
import type { Config } from '../config.ts';
import { diskFilesDirectory, type BlobStore } from './blob-store.ts';
import { DiskBlobs } from './disk-blobs.ts';
import { S3Blobs } from './s3-blobs.ts';
import { isFileId } from './files.service.ts';

export interface MigrateOutcome {
  /** Copied, verified and deleted from the source. */
  readonly moved: number;
  /** Already in the target as a previous run left them: only deleted from the source. */
  readonly completed: number;
  /** Not moved: still in the source, named on standard error. */
  readonly failed: number;
  /** Not tried because of the limit: a rerun moves them. */
  readonly left: number;
}

export interface MigrateOptions {
  /** Move at most this many files (moved and completed together). */
  readonly limit?: number;
  /** Files moved at once. */
  readonly concurrency?: number;
  /** Told of each file that could not be moved. */
  readonly onFailure?: (name: string, error: unknown) => void;
}

/** Moves one file: copy unless the target already holds the same bytes, read back, compare, delete. */
async function moveOne(
  from: BlobStore,
  to: BlobStore,
  name: string,
): Promise<'moved' | 'completed' | 'gone'> {
  const bytes = await from.read(name);
  // Deleted meanwhile (a discarded upload, the sweep, retention): nothing to move.
  if (bytes === undefined) return 'gone';
  const already = await to.read(name);
  let outcome: 'moved' | 'completed' = 'completed';
  if (!already?.equals(bytes)) {
    await to.removePartial(name);
    await to.write(name, bytes);
    const copy = await to.read(name);
    if (!copy?.equals(bytes)) throw new Error('the copy read back differs from the original');
    outcome = 'moved';
  }
  await from.remove(name);
  return outcome;
}

/** Moves every stored file (names cekrek writes; unfinished writes stay) from one store to the other. */
export async function migrateFiles(
  from: BlobStore,
  to: BlobStore,
  options: MigrateOptions = {},
): Promise<MigrateOutcome> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const concurrency = options.concurrency ?? 8;
  let started = 0;
  let moved = 0;
  let completed = 0;
  let failed = 0;
  let left = 0;
  const running = new Set<Promise<void>>();
  for await (const entry of from.entries()) {
    if (entry.partial || !isFileId(entry.name)) continue;
    if (started >= limit) {
      left += 1;
      continue;
    }
    started += 1;
    const name = entry.name;
    const move: Promise<void> = moveOne(from, to, name)
      .then(
        (outcome) => {
          if (outcome === 'moved') moved += 1;
          else if (outcome === 'completed') completed += 1;
        },
        (error: unknown) => {
          failed += 1;
          options.onFailure?.(name, error);
        },
      )
      .finally(() => running.delete(move));
    running.add(move);
    if (running.size >= concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  return { moved, completed, failed, left };
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error('--limit must be a positive number');
  return limit;
}

/** The command: prints what moved, and fails when any file did not. */
export async function runFilesMigrate(
  config: Config,
  options: { to: string; limit?: string | undefined },
): Promise<void> {
  if (options.to !== 's3' && options.to !== 'disk') throw new Error('--to must be s3 or disk');
  const limit = parseLimit(options.limit);
  if (config.fileStore.kind !== 's3') {
    throw new Error(
      'FILE_STORE_URL must name the S3 store (s3://bucket/prefix, with the S3_ settings) to move files to or from',
    );
  }
  const disk = new DiskBlobs(diskFilesDirectory(config.dataDir));
  const s3 = new S3Blobs(config.fileStore);
  const [from, to] = options.to === 's3' ? [disk, s3] : [s3, disk];
  try {
    console.log(`moving stored files from ${from.location} to ${to.location}`);
    const outcome = await migrateFiles(from, to, {
      limit,
      onFailure: (name, error) =>
        console.error(
          `${name}: not moved (${error instanceof Error ? error.message : String(error)})`,
        ),
    });
    console.log(
      `moved ${outcome.moved}, completed ${outcome.completed} copied before, failed ${outcome.failed}, left ${outcome.left}`,
    );
    if (outcome.failed > 0) {
      throw new Error(
        `${outcome.failed} files were not moved: they are still in ${from.location}; run the command again`,
      );
    }
    if (outcome.left > 0) console.log('run the command again to move the rest');
  } finally {
    await s3.close();
  }
}
