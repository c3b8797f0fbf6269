// Recording and checking the audit log. Whoever changes something records it
// with record(trx, …) inside their own transaction; attempts that change
// nothing else (a refused sign-in) use recordAlone.
import type { Database } from '../db/database.ts';
import type { Executor } from '../accounts/accounts.repository.ts';
import type { Clock } from '../shared/clock.ts';
import { verifyChain, type ChainReport } from './audit.chain.ts';
import { genesisHash, type AuditEntry, type AuditEvent } from './audit.events.ts';
import {
  allAuditEntries,
  appendAuditEntry,
  auditHashExists,
  findAuditEntries,
  readAuditHead,
  type AuditFilter,
} from './audit.repository.ts';

export class AuditService {
  readonly #database: Database;
  readonly #clock: Clock;

  constructor(database: Database, clock: Clock) {
    this.#database = database;
    this.#clock = clock;
  }

  record(trx: Executor, event: AuditEvent): Promise<AuditEntry> {
    return appendAuditEntry(trx, this.#database.dialect, event, this.#clock.now());
  }

  recordAlone(event: AuditEvent): Promise<AuditEntry> {
    return this.#database.db.transaction().execute((trx) => this.record(trx, event));
  }

  list(filter: AuditFilter): Promise<AuditEntry[]> {
    return findAuditEntries(this.#database.db, filter);
  }

  /** Walks the whole chain and names the first entry that was edited, deleted or moved. */
  async verify(): Promise<ChainReport> {
    const db = this.#database.db;
    const head = await readAuditHead(db);
    return verifyChain(allAuditEntries(db), head, (hash) => auditHashExists(db, hash), genesisHash);
  }
}
