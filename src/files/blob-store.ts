// Where sealed files are kept: the local disk (the default) or an
// S3-compatible object store. The store sees only sealed bytes under random
// names; encryption, records and the sweep's judgement stay in FileStore.
import { join } from 'node:path';
import type { FileStoreConfig } from '../config.ts';
import { DiskBlobs } from './disk-blobs.ts';
import { S3Blobs } from './s3-blobs.ts';

export interface BlobEntry {
  readonly name: string;
  readonly modifiedAt: Date;
  /** A write that never finished (on disk: the process stopped between write and rename). */
  readonly partial: boolean;
}

export interface BlobStore {
  /** Where the blobs are, for messages: a folder or an s3:// URL, never a credential. */
  readonly location: string;
  /** Stores the bytes under the name, whole or not at all. */
  write(name: string, bytes: Buffer): Promise<void>;
  /** The bytes, or undefined when nothing is stored under the name. */
  read(name: string): Promise<Buffer | undefined>;
  /** Removes the name; nothing stored under it is no error. */
  remove(name: string): Promise<void>;
  /** Removes what an unfinished write of the name left, where the store can leave anything. */
  removePartial(name: string): Promise<void>;
  /** Every stored name, read a page at a time: there may be millions. */
  entries(): AsyncGenerator<BlobEntry>;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** DATA_DIR/files: the disk store's folder, whichever store is configured. */
export function diskFilesDirectory(dataDir: string): string {
  return join(dataDir, 'files');
}

/** The store FILE_STORE_URL names. */
export function openBlobStore(config: FileStoreConfig, dataDir: string): BlobStore {
  return config.kind === 's3' ? new S3Blobs(config) : new DiskBlobs(diskFilesDirectory(dataDir));
}
