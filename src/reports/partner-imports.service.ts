// A partner's CSV of verified reports, sent over the API: kept in the
// database as it streams in (sealed chunks, never the whole body in memory),
// then loaded by a durable job that streams it back through the same importer
// as `cekrek import` (valid rows loaded, bad ones listed by line). A job that a
// restart interrupted runs again from the start: rows already stored are
// skipped by their source id, and the count is of the reports the import
// stored, so nothing is loaded or counted twice.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Database } from '../db/database.ts';
import { enqueue } from '../jobs/jobs.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { importReports } from './import.service.ts';
import { ImportFileError } from './import.csv.ts';
import {
  countImportedReports,
  deleteImportChunks,
  deleteStrayImportChunks,
  findImportChunk,
  findPartnerImport,
  importBody,
  insertImportChunk,
  insertPartnerImport,
  updatePartnerImport,
  type ImportBodyRef,
  type ImportLineError,
  type PartnerImportRecord,
} from './partner-imports.repository.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'reports.partner-import': { importId: number };
  }
}

export type { PartnerImportRecord as PartnerImport } from './partner-imports.repository.ts';

/** Bad lines kept for the partner to read back; a file of bad lines says the rest by count. */
const maxListedErrors = 1000;
/** Rows per transaction: smaller than the command line's, so a server's own writes get in. */
const batchSize = 2000;
/** Bytes of the body sealed and stored at a time: what an upload holds in memory. */
const chunkBytes = 256 * 1024;
/** Longer than any upload takes: younger chunks may still be getting their import. */
export const strayChunkGraceMs = 60 * 60_000;

export interface PartnerImportsDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly box: SecretBox;
  readonly wakeJobs: () => void;
  /** Tells this process's check of the accounts an import changed. */
  readonly changed?: (keys: readonly string[]) => void;
}

/** Who sends the file: the partner and the key it used. */
export interface ImportSender {
  readonly partnerId: number;
  readonly keyId: number;
}

export class PartnerImportsService {
  readonly #d: PartnerImportsDeps;

  constructor(deps: PartnerImportsDeps) {
    this.#d = deps;
  }

  /**
   * Keeps the body as it streams in, in sealed chunks, then queues its job in
   * one transaction with the import. A body over `maxBytes` is refused
   * (payload_too_large) as soon as it passes the limit, an empty one
   * (validation_failed) at its end; either way, and when the client goes away
   * half way, what was kept of it is deleted at once (and by the sweep, should
   * the process die first).
   */
  async queue(
    sender: ImportSender,
    body: AsyncIterable<Buffer | string>,
    maxBytes: number,
  ): Promise<PartnerImportRecord> {
    const uploadId = randomUUID();
    try {
      await this.#keepBody(uploadId, body, maxBytes);
      return await this.#queueKept(sender, uploadId);
    } catch (error) {
      await deleteImportChunks(this.#d.database.db, uploadId);
      throw error;
    }
  }

  async #keepBody(
    uploadId: string,
    body: AsyncIterable<Buffer | string>,
    maxBytes: number,
  ): Promise<void> {
    const { database, clock, box } = this.#d;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let total = 0;
    let seq = 0;
    let blank = true;
    const store = async () => {
      const bytes = Buffer.concat(pending, pendingBytes);
      const data = box.seal(bytes, 'import-body', `${uploadId}:${seq}`);
      await insertImportChunk(database.db, { uploadId, seq, data, at: clock.now() });
      seq++;
      pending = [];
      pendingBytes = 0;
    };
    for await (const piece of body) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      total += bytes.length;
      if (total > maxBytes) {
        throw new AppError('payload_too_large', {
          params: { max: Math.round(maxBytes / (1024 * 1024)) },
        });
      }
      if (blank && bytes.toString('utf8').trim() !== '') blank = false;
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes >= chunkBytes) await store();
    }
    if (blank) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'body', reason: 'Expected a CSV in the import format.' }],
      });
    }
    if (pendingBytes > 0) await store();
  }

  async #queueKept(sender: ImportSender, uploadId: string): Promise<PartnerImportRecord> {
    const { database, clock } = this.#d;
    const now = clock.now();
    const id = await database.db.transaction().execute(async (trx) => {
      const importId = await insertPartnerImport(trx, { ...sender, uploadId, at: now });
      await enqueue(
        trx,
        { kind: 'reports.partner-import', payload: { importId }, dedupeKey: `import:${importId}` },
        now,
      );
      return importId;
    });
    this.#d.wakeJobs();
    return this.find(sender.partnerId, id);
  }

  /** The import, for the partner that sent it only (another's is not_found). */
  async find(partnerId: number, id: number): Promise<PartnerImportRecord> {
    const found = await findPartnerImport(this.#d.database.db, id);
    if (!found || found.partnerId !== partnerId) throw new AppError('not_found');
    return found;
  }

  /** The job: loads the file; run again after a restart, it finishes what is left. */
  async run(importId: number): Promise<void> {
    const { database, clock } = this.#d;
    const db = database.db;
    const found = await findPartnerImport(db, importId);
    const body = await importBody(db, importId);
    if (!found || found.status === 'done' || found.status === 'failed' || body === null) return;
    await updatePartnerImport(db, importId, { status: 'running', at: clock.now() });
    try {
      await this.#load(importId, found.partnerId, body);
    } catch (error) {
      // A file that cannot be read (its header, broken CSV) will not read better next time.
      if (!(error instanceof ImportFileError)) throw error;
      await updatePartnerImport(db, importId, {
        status: 'failed',
        errors: [{ line: error.line, message: error.reason }],
        dropBody: true,
        at: clock.now(),
      });
    }
    if (body.kind === 'chunks') await deleteImportChunks(db, body.uploadId);
  }

  /** Deletes the chunks of uploads that never became an import (the recurring sweep). */
  sweepStrayChunks(): Promise<number> {
    const olderThan = new Date(this.#d.clock.now().getTime() - strayChunkGraceMs);
    return deleteStrayImportChunks(this.#d.database.db, olderThan);
  }

  /** The body as the importer reads it: a fresh stream for each of its passes. */
  #source(body: ImportBodyRef): () => Readable {
    if (body.kind === 'text') return () => Readable.from([body.text]);
    const { database, box } = this.#d;
    const { uploadId } = body;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = 0; ; seq++) {
        const data = await findImportChunk(database.db, uploadId, seq);
        if (data === undefined) return;
        yield box.open(data, 'import-body', `${uploadId}:${seq}`);
      }
    }
    return () => Readable.from(chunks());
  }

  async #load(importId: number, partnerId: number, body: ImportBodyRef): Promise<void> {
    const { database, clock, box } = this.#d;
    const db = database.db;
    const errors: ImportLineError[] = [];
    let progress = Promise.resolve();
    const summary = await importReports(database, this.#source(body), {
      clock,
      box,
      skipInvalid: true,
      batchSize,
      attribution: { partnerId, importId },
      ...(this.#d.changed && { onChanged: this.#d.changed }),
      onProblem: (problem) => {
        if (errors.length < maxListedErrors) {
          errors.push({ line: problem.line, message: problem.reason });
        }
      },
      onProgress: (step) => {
        if (step.phase !== 'loading') return;
        progress = progress.then(() => this.#count(importId, step.rows));
      },
    });
    await progress;
    const imported = await countImportedReports(db, importId);
    await updatePartnerImport(db, importId, {
      status: summary.read > 0 && summary.refused ? 'failed' : 'done',
      rows: summary.read,
      imported,
      skipped: summary.read - imported,
      errors,
      dropBody: true,
      at: clock.now(),
    });
  }

  async #count(importId: number, rows: number): Promise<void> {
    const db = this.#d.database.db;
    const imported = await countImportedReports(db, importId);
    await updatePartnerImport(db, importId, { rows, imported, at: this.#d.clock.now() });
  }
}
