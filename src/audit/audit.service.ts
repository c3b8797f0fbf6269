// Recording and checking the audit log. Whoever changes something records it
// with record(trx, …) inside their own transaction; attempts that change
// nothing else (a refused sign-in) use recordAlone.
import type { Database, Executor } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import {
  entryHash,
  keyedEntryHash,
  verifyChain,
  type ChainBreak,
  type ChainReport,
} from './audit.chain.ts';
import {
  CheckpointSigner,
  isCheckpoint,
  type AuditHead,
  type Checkpoint,
  type ExpectedHead,
} from './audit.checkpoints.ts';
import { genesisHash, type AuditEntry, type AuditEvent } from './audit.events.ts';
import {
  allAuditCheckpoints,
  allAuditEntries,
  auditContent,
  auditHashAt,
  auditHashExists,
  findAuditEntries,
  findKeyingCheckpoint,
  insertAuditCheckpoint,
  insertAuditEntry,
  lastAuditSeq,
  lockAuditHead,
  readAuditHead,
  type AuditFilter,
} from './audit.repository.ts';

export class AuditService {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #chainKey: Buffer;
  readonly #signer: CheckpointSigner;
  /** Set once this process has read the keying checkpoint back from the database. */
  #keyingSeen = false;

  constructor(database: Database, clock: Clock, box: SecretBox) {
    this.#database = database;
    this.#clock = clock;
    this.#chainKey = box.key('audit-chain');
    this.#signer = new CheckpointSigner(box);
  }

  async record(trx: Executor, event: AuditEvent): Promise<AuditEntry> {
    const head = await lockAuditHead(trx, this.#database.dialect);
    await this.#ensureKeying(trx, head);
    const content = auditContent(event, this.#clock.now(), head.lastHash);
    const entry: AuditEntry = {
      ...content,
      seq: head.lastSeq + 1,
      hash: keyedEntryHash(content, this.#chainKey),
    };
    await insertAuditEntry(trx, entry);
    return entry;
  }

  recordAlone(event: AuditEvent): Promise<AuditEntry> {
    return this.#database.db.transaction().execute((trx) => this.record(trx, event));
  }

  list(filter: AuditFilter): Promise<AuditEntry[]> {
    return findAuditEntries(this.#database.db, filter);
  }

  /**
   * Writes the keying checkpoint if there is none: keyed hashing begins after
   * the current head. Runs at start, so an upgraded installation fixes the
   * boundary before anyone could rewrite entries as unkeyed ones.
   */
  async ensureKeyed(): Promise<void> {
    await this.#database.db.transaction().execute(async (trx) => {
      const head = await lockAuditHead(trx, this.#database.dialect);
      await this.#ensureKeying(trx, head);
    });
  }

  /**
   * Verifies the chain, then signs and stores its head. A broken chain is
   * never signed: the break is thrown instead.
   */
  async checkpoint(): Promise<Checkpoint> {
    await this.ensureKeyed();
    const report = await this.verify();
    if (report.firstBreak) throw new AuditChainBroken(report.firstBreak);
    return this.#database.db.transaction().execute(async (trx) => {
      const head = await lockAuditHead(trx, this.#database.dialect);
      const checkpoint = this.#signer.sign(
        'checkpoint',
        { seq: head.lastSeq, hash: head.lastHash },
        this.#clock.now(),
      );
      await insertAuditCheckpoint(trx, 'checkpoint', checkpoint);
      return checkpoint;
    });
  }

  /** The checkpoints' public key, for checking them without the secret. */
  checkpointPublicKey(): string {
    return this.#signer.publicKeyPem();
  }

  /**
   * Walks the whole chain and names the first entry that was edited, deleted
   * or moved; then checks the keying checkpoint, every stored checkpoint and
   * `expected` (a head written down elsewhere) against it.
   */
  async verify(expected?: ExpectedHead): Promise<ChainReport> {
    const db = this.#database.db;
    const head = await readAuditHead(db);
    const keying = await findKeyingCheckpoint(db);
    const lastSeq = await lastAuditSeq(db);
    const unkeyed: ChainReport = {
      entries: 0,
      headSeq: head.lastSeq,
      headHash: head.lastHash,
      firstBreak: null,
    };
    if (keying === undefined) {
      if (lastSeq === 0 && head.lastSeq === 0) return this.#checkExpected(unkeyed, expected);
      return {
        ...unkeyed,
        firstBreak: {
          seq: 1,
          problem: 'unkeyed',
          explanation: 'no keying checkpoint: keyed hashing never began, or its record was deleted',
        },
      };
    }
    if (!this.#signer.verify('keying', keying)) {
      return { ...unkeyed, firstBreak: forged(keying.seq, 'the keying checkpoint') };
    }
    const hashOf = (entry: AuditEntry) =>
      entry.seq > keying.seq ? keyedEntryHash(entry, this.#chainKey) : entryHash(entry);
    const report = await verifyChain(
      allAuditEntries(db),
      head,
      (hash) => auditHashExists(db, hash),
      genesisHash,
      hashOf,
    );
    if (report.firstBreak) return report;
    const atKeying = await this.#headBreak(keying, lastSeq);
    if (atKeying) return { ...report, firstBreak: atKeying };
    for (const stored of await allAuditCheckpoints(db)) {
      if (stored.kind !== 'checkpoint') continue;
      if (!this.#signer.verify('checkpoint', stored)) {
        return { ...report, firstBreak: forged(stored.seq, 'a stored checkpoint') };
      }
      const found = await this.#headBreak(stored, lastSeq);
      if (found) return { ...report, firstBreak: found };
    }
    return this.#checkExpected(report, expected);
  }

  async #checkExpected(report: ChainReport, expected: ExpectedHead | undefined) {
    if (expected === undefined) return report;
    if (isCheckpoint(expected) && !this.#signer.verify('checkpoint', expected)) {
      return { ...report, firstBreak: forged(expected.seq, 'the given checkpoint') };
    }
    const found = await this.#headBreak(expected, await lastAuditSeq(this.#database.db));
    return found ? { ...report, firstBreak: found } : report;
  }

  /** Whether the log still holds this head: not cut short before it, not rewritten at it. */
  async #headBreak(head: AuditHead, lastSeq: number): Promise<ChainBreak | null> {
    const hash = head.seq === 0 ? genesisHash : await auditHashAt(this.#database.db, head.seq);
    if (hash === undefined) {
      return {
        seq: head.seq,
        problem: 'truncated',
        explanation: `the log ends at ${lastSeq} but a checkpoint names entry ${head.seq}`,
      };
    }
    if (hash !== head.hash) {
      return {
        seq: head.seq,
        problem: 'rewritten',
        explanation: 'the entry is not the one the checkpoint names',
      };
    }
    return null;
  }

  async #ensureKeying(trx: Executor, head: { lastSeq: number; lastHash: string }) {
    if (this.#keyingSeen) return;
    if (await findKeyingCheckpoint(trx)) {
      this.#keyingSeen = true;
      return;
    }
    // Not remembered as seen yet: the transaction that writes it may still roll back.
    const keying = this.#signer.sign(
      'keying',
      { seq: head.lastSeq, hash: head.lastHash },
      this.#clock.now(),
    );
    await insertAuditCheckpoint(trx, 'keying', keying);
  }
}

function forged(seq: number, what: string): ChainBreak {
  return { seq, problem: 'forged', explanation: `${what} has no valid signature` };
}

/** Thrown when a checkpoint is asked of a chain that does not verify. */
export class AuditChainBroken extends Error {
  readonly break: ChainBreak;
  constructor(found: ChainBreak) {
    super(describeBreak(found));
    this.name = 'AuditChainBroken';
    this.break = found;
  }
}

export function describeBreak({ seq, problem, explanation }: ChainBreak): string {
  return `audit log broken at entry ${seq}: ${problem} (${explanation})`;
}

export type { AuditFilter } from './audit.repository.ts';
// What other features may use of the audit log: its events, its reading
// within their own transactions, and its checkpoints.
export * from './audit.events.ts';
export { findAuditEntries } from './audit.repository.ts';
export { checkpointJson, parseExpectedHead } from './audit.checkpoints.ts';
