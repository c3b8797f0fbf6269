// A partner's CSV of verified reports, sent over the API: kept in the
// database as sent, then loaded by a durable job with the same importer as
// `cekrek import` (valid rows loaded, bad ones listed by line). A job that a
// restart interrupted runs again from the start: rows already stored are
// skipped by their source id, and the count is of the reports the import
// stored, so nothing is loaded or counted twice.
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
  findPartnerImport,
  importBody,
  insertPartnerImport,
  updatePartnerImport,
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

export interface PartnerImportsDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly box: SecretBox;
  readonly wakeJobs: () => void;
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

  /** Keeps the file and queues its job, in one transaction. */
  async queue(sender: ImportSender, csv: string): Promise<PartnerImportRecord> {
    const { database, clock } = this.#d;
    const now = clock.now();
    const id = await database.db.transaction().execute(async (trx) => {
      const importId = await insertPartnerImport(trx, { ...sender, body: csv, at: now });
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
  }

  async #load(importId: number, partnerId: number, body: string): Promise<void> {
    const { database, clock, box } = this.#d;
    const db = database.db;
    const errors: ImportLineError[] = [];
    let progress = Promise.resolve();
    const summary = await importReports(database, () => Readable.from([body]), {
      clock,
      box,
      skipInvalid: true,
      batchSize,
      attribution: { partnerId, importId },
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
