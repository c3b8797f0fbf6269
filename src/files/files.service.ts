// Every upload in cekrek goes through here. A file is read only as far as the
// limits allow, recognised by its content, cleaned (images re-encoded without
// metadata, PDFs checked), encrypted and written under a random name: that is
// staging. The submitting service then writes its rows, the files' included,
// in one transaction; if that throws, the staged files are deleted. A crash
// between the two leaves files without rows, which sweepOrphans removes.
// Where the sealed files go is the blob store's business: the local disk by
// default, or an S3-compatible bucket (blob-store.ts); either sees only
// sealed bytes.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { openPersonal, sealOptionalPersonal } from '../shared/personal-data.ts';
import { DiskBlobs } from './disk-blobs.ts';
import { diskFilesDirectory, type BlobStore } from './blob-store.ts';
import { cleanContent } from './file-content.ts';
import { openSealedFile, sealFile } from '../shared/file-crypto.ts';
import { sanitizeFileName } from './file-name.ts';
import { detectFileType, signatureLength, type FileMime } from './file-type.ts';
import {
  findFile,
  insertFileRows,
  listFileIds,
  listFilesOf,
  type FileOwnerKind,
  type FileRecord,
} from './files.repository.ts';

export type { FileMime, FileOwnerKind, FileRecord };

export interface FileLimits {
  /** Bytes one file may have, as sent. */
  readonly maxFileBytes: number;
  /** Files one submission may carry. */
  readonly maxFiles: number;
  /** Bytes the files of one submission may add up to, as sent. */
  readonly maxRequestBytes: number;
  /** Width × height an image may declare (decompression bombs). */
  readonly maxImagePixels: number;
}

const mebibyte = 1024 * 1024;

export const defaultFileLimits: FileLimits = {
  maxFileBytes: 5 * mebibyte,
  maxFiles: 5,
  maxRequestBytes: 30 * mebibyte,
  // A 50-megapixel photo decodes to about 200 MB; phones save far smaller ones.
  maxImagePixels: 50_000_000,
};

export interface Upload {
  /** The form field it came in, e.g. "evidence". */
  readonly field: string;
  /** The bytes as they arrive; read no further than the limits allow. */
  readonly content: AsyncIterable<Uint8Array>;
  /** The sender's name for it: kept as a label, never used as a path. */
  readonly fileName?: string | null;
  /** An identity document rather than ordinary evidence. */
  readonly sensitive?: boolean;
}

/** A file written to the store, encrypted, that has no row yet. */
export interface StagedFile {
  readonly id: string;
  readonly field: string;
  readonly mime: FileMime;
  /** Bytes as stored (after re-encoding), before encryption. */
  readonly size: number;
  readonly sha256: string;
  readonly originalName: string | null;
  readonly sensitive: boolean;
}

export interface FileOwner {
  readonly kind: FileOwnerKind;
  readonly id: number;
}

export interface StoredFile extends FileRecord {
  /** The decrypted content. */
  readonly bytes: Buffer;
}

export interface SweepOutcome {
  /** Stored files looked at. */
  readonly scanned: number;
  /** Files without a row (and unfinished writes) older than the grace period, now gone. */
  readonly deleted: number;
  /** Files with a row, or too recent to judge. */
  readonly kept: number;
}

export interface FileStoreDeps {
  readonly database: Database;
  readonly box: SecretBox;
  readonly clock: Clock;
  /** DATA_DIR: without `blobs`, files go to its files/ folder. */
  readonly dataDir: string;
  /** Where the sealed files go (blob-store.ts); the local disk when not given. */
  readonly blobs?: BlobStore;
}

/** 128 random bits, hex: a name that says nothing and cannot be guessed. */
const fileIdPattern = /^[0-9a-f]{32}$/;
/** Ids checked against the table per query while sweeping. */
const sweepBatchSize = 500;

export function newFileId(): string {
  return randomBytes(16).toString('hex');
}

export function isFileId(value: string): boolean {
  return fileIdPattern.test(value);
}

function checkedLimits(limits: FileLimits): FileLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new Error(`file limit ${name} must be a positive integer`);
    }
  }
  return Object.freeze({ ...limits });
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

function detectOrRefuse(head: Buffer): FileMime {
  const mime = detectFileType(head);
  if (!mime) throw new AppError('unsupported_file_type');
  return mime;
}

/** Counts bytes as they arrive; throws as soon as a limit is passed. */
type ByteMeter = (bytes: number) => void;

/**
 * Reads an upload into memory, at most as much as the meter allows, refusing
 * it as soon as its first bytes show it is not an accepted type. Throwing
 * out of the loop ends the iteration, which destroys the source stream.
 */
async function readUpload(
  content: AsyncIterable<Uint8Array>,
  meter: ByteMeter,
): Promise<{ bytes: Buffer; mime: FileMime }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let mime: FileMime | undefined;
  for await (const chunk of content) {
    meter(chunk.length);
    chunks.push(asBuffer(chunk));
    length += chunk.length;
    if (!mime && length >= signatureLength) mime = detectOrRefuse(Buffer.concat(chunks, length));
  }
  const bytes = Buffer.concat(chunks, length);
  return { bytes, mime: mime ?? detectOrRefuse(bytes) };
}

type StageFile = (upload: Upload, meter: ByteMeter, limits: FileLimits) => Promise<StagedFile>;

/**
 * The files of one submission, staged one after another against one set of
 * limits: a count, a size per file and a size for them all.
 */
export class UploadBatch {
  readonly limits: FileLimits;
  readonly #stageFile: StageFile;
  readonly #discard: (files: readonly StagedFile[]) => Promise<void>;
  readonly #files: StagedFile[] = [];
  #started = 0;
  #bytes = 0;
  #discarded = false;

  constructor(
    limits: FileLimits,
    stageFile: StageFile,
    discard: (files: readonly StagedFile[]) => Promise<void>,
  ) {
    this.limits = limits;
    this.#stageFile = stageFile;
    this.#discard = discard;
  }

  get files(): readonly StagedFile[] {
    return [...this.#files];
  }

  async add(upload: Upload): Promise<StagedFile> {
    if (this.#discarded) throw new Error('this upload batch was discarded');
    if (this.#started >= this.limits.maxFiles) {
      throw new AppError('too_many_files', { params: { max: this.limits.maxFiles } });
    }
    this.#started += 1;
    let fileBytes = 0;
    const meter: ByteMeter = (bytes) => {
      fileBytes += bytes;
      this.#bytes += bytes;
      if (fileBytes > this.limits.maxFileBytes || this.#bytes > this.limits.maxRequestBytes) {
        throw new AppError('payload_too_large');
      }
    };
    const file = await this.#stageFile(upload, meter, this.limits);
    // Discarded while this file was being written: it must not outlive the batch.
    if (this.#discarded) {
      await this.#discard([file]);
      throw new Error('this upload batch was discarded');
    }
    this.#files.push(file);
    return file;
  }

  /** Deletes every file this batch staged. Safe to call more than once. */
  async discard(): Promise<void> {
    this.#discarded = true;
    await this.#discard(this.#files.splice(0));
  }
}

export class FileStore {
  readonly limits: FileLimits;
  readonly #db: Kysely<DB>;
  readonly #key: Buffer;
  readonly #box: SecretBox;
  readonly #clock: Clock;
  readonly #blobs: BlobStore;

  constructor(deps: FileStoreDeps, limits: Partial<FileLimits> = {}) {
    this.limits = checkedLimits({ ...defaultFileLimits, ...limits });
    this.#db = deps.database.db;
    this.#key = deps.box.key('file');
    this.#box = deps.box;
    this.#clock = deps.clock;
    this.#blobs = deps.blobs ?? new DiskBlobs(diskFilesDirectory(deps.dataDir));
  }

  /** Where the encrypted files are: a folder, or the s3:// URL of a bucket and prefix. */
  get directory(): string {
    return this.#blobs.location;
  }

  /** Releases the store's connections (an object store's); the store is not used afterwards. */
  async close(): Promise<void> {
    await this.#blobs.close();
  }

  /** Staging for one submission; limits given here narrow or widen the store's. */
  batch(limits: Partial<FileLimits> = {}): UploadBatch {
    return new UploadBatch(
      checkedLimits({ ...this.limits, ...limits }),
      (upload, meter, batchLimits) => this.#stage(upload, meter, batchLimits),
      (files) => this.discard(files),
    );
  }

  /** Stages a single file, as a batch of its own. */
  async stage(upload: Upload): Promise<StagedFile> {
    return this.batch().add(upload);
  }

  async #stage(upload: Upload, meter: ByteMeter, limits: FileLimits): Promise<StagedFile> {
    const { bytes, mime } = await readUpload(upload.content, meter);
    const clean = await cleanContent(bytes, mime, limits, upload.field);
    const id = newFileId();
    await this.#blobs.write(id, sealFile(this.#key, id, clean));
    return {
      id,
      field: upload.field,
      mime,
      size: clean.length,
      sha256: sha256(clean),
      originalName: sanitizeFileName(upload.fileName),
      sensitive: upload.sensitive ?? false,
    };
  }

  /**
   * Runs the work that records the files (the submitting transaction, commit
   * included) and deletes the staged files if it throws. Call it around the
   * transaction, not inside it: nothing after the commit belongs in `work`,
   * or a later failure would delete files whose rows were committed.
   */
  async withStagedFiles<T>(
    staged: readonly StagedFile[],
    work: (files: readonly StagedFile[]) => Promise<T>,
  ): Promise<T> {
    try {
      return await work(staged);
    } catch (error) {
      await this.discard(staged);
      throw error;
    }
  }

  /**
   * Deletes staged files from the store. Failures are left to the sweeper rather
   * than thrown, so they never hide the error that made the caller discard.
   */
  async discard(staged: readonly StagedFile[]): Promise<void> {
    await Promise.allSettled(staged.map((file) => this.#blobs.remove(file.id)));
  }

  /** Writes the files' rows, in the caller's transaction. */
  async recordFiles(
    db: Executor,
    owner: FileOwner,
    staged: readonly StagedFile[],
  ): Promise<FileRecord[]> {
    const createdAt = this.#clock.now();
    const records = staged.map((file, position): FileRecord => ({
      ...file,
      ownerKind: owner.kind,
      ownerId: owner.id,
      position,
      createdAt,
    }));
    // A file's name can say whose it is ("KTP Budi Santoso.jpg"): sealed like other personal values.
    await insertFileRows(
      db,
      records.map((r) => ({ ...r, originalName: sealOptionalPersonal(this.#box, r.originalName) })),
    );
    return records;
  }

  /** The files of a report, registration or normalization request, without their content. */
  async filesOf(owner: FileOwner, db: Executor = this.#db): Promise<FileRecord[]> {
    return (await listFilesOf(db, owner.kind, owner.id)).map((r) => this.#openName(r));
  }

  /** The name as sent: opened here too, whichever database handle read the row. */
  #openName<T extends { readonly originalName: string | null }>(record: T): T {
    const name = record.originalName;
    return name === null ? record : { ...record, originalName: openPersonal(this.#box, name) };
  }

  /** A stored file, decrypted. Throws not_found for an unknown id, and a plain error if it was altered. */
  async open(id: string): Promise<StoredFile> {
    if (!isFileId(id)) throw new AppError('not_found');
    const record = await findFile(this.#db, id);
    if (!record) throw new AppError('not_found');
    const sealed = await this.#blobs.read(id);
    if (!sealed) throw new Error(`stored file ${id} is missing from ${this.directory}`);
    let bytes: Buffer;
    try {
      bytes = openSealedFile(this.#key, id, sealed);
    } catch (error) {
      throw new Error(`stored file ${id} failed its integrity check`, { cause: error });
    }
    return { ...this.#openName(record), bytes };
  }

  /**
   * Deletes stored files that have no row and are older than the grace
   * period, and unfinished writes as old. The grace period must be longer
   * than any submission takes between staging and commit.
   */
  async sweepOrphans(options: { olderThanMs: number }): Promise<SweepOutcome> {
    const cutoff = this.#clock.now().getTime() - options.olderThanMs;
    let scanned = 0;
    let deleted = 0;
    let kept = 0;
    let candidates: string[] = [];
    const settle = async () => {
      const recorded = await listFileIds(this.#db, candidates);
      for (const id of candidates) {
        if (recorded.has(id)) {
          kept += 1;
        } else {
          await this.#blobs.remove(id);
          deleted += 1;
        }
      }
      candidates = [];
    };
    for await (const entry of this.#blobs.entries()) {
      // Not a name cekrek writes: someone else's file, left alone.
      if (!isFileId(entry.name)) continue;
      scanned += 1;
      if (entry.modifiedAt.getTime() > cutoff) {
        kept += 1;
      } else if (entry.partial) {
        await this.#blobs.removePartial(entry.name);
        deleted += 1;
      } else {
        candidates.push(entry.name);
        if (candidates.length >= sweepBatchSize) await settle();
      }
    }
    await settle();
    return { scanned, deleted, kept };
  }
}

export type { FileAccess, FileViewer } from './files.access.ts';
