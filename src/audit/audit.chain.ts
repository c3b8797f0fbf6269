// The hash chain: each entry's hash covers its canonical content and the
// previous entry's hash, so editing, deleting or reordering any entry breaks
// the chain at that point. The sequence number is left out of the hash on
// purpose: order is what prev_hash links, and a renumbered entry shows up as
// moved rather than as edited.
//
// Entries are keyed: the hash is an HMAC with a key derived from
// CEKREK_SECRET_KEY, which the database never holds, so whoever can write to
// the database cannot recompute the chain after changing it. Entries written
// before keying began (an older installation) keep their plain SHA-256; a
// signed checkpoint fixes where keying began (audit.checkpoints.ts).
import { createHash, createHmac } from 'node:crypto';
import type { AuditDetails, AuditEntry } from './audit.events.ts';

type ChainContent = Omit<AuditEntry, 'seq' | 'hash'>;

/** JSON with object keys sorted at every level: the same content, the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function chainContent(entry: ChainContent): string {
  return canonicalJson([
    entry.at.toISOString(),
    entry.actorType,
    entry.actorId,
    entry.actorLabel,
    entry.action,
    entry.subjectType,
    entry.subjectId,
    entry.ip,
    entry.outcome,
    entry.details satisfies AuditDetails,
    entry.prevHash,
  ]);
}

/** The unkeyed hash of entries written before keying began. */
export function entryHash(entry: ChainContent): string {
  return createHash('sha256').update(chainContent(entry), 'utf8').digest('hex');
}

/** The keyed hash (HMAC-SHA256) every entry is written with since keying began. */
export function keyedEntryHash(entry: ChainContent, key: Buffer): string {
  return createHmac('sha256', key).update(chainContent(entry), 'utf8').digest('hex');
}

export type ChainProblem =
  | 'edited'
  | 'deleted'
  | 'reordered'
  /** A checkpoint names an entry past the end of the log. */
  | 'truncated'
  /** The log holds another entry where a checkpoint names one. */
  | 'rewritten'
  /** A checkpoint whose signature is not ours. */
  | 'forged'
  /** Entries, but no record of where keyed hashing began. */
  | 'unkeyed';

export interface ChainBreak {
  /** The first entry (by sequence number) at which the chain does not hold. */
  readonly seq: number;
  readonly problem: ChainProblem;
  readonly explanation: string;
}

export interface ChainReport {
  readonly entries: number;
  readonly headSeq: number;
  readonly headHash: string;
  readonly firstBreak: ChainBreak | null;
}

/**
 * Walks entries in sequence order. `hashElsewhere` tells whether a hash
 * belongs to some other entry of the log (then an entry was moved, not lost);
 * `hashOf` computes what an entry's hash must be (keyed or not, by its place).
 */
export async function verifyChain(
  entries: AsyncIterable<AuditEntry>,
  head: { lastSeq: number; lastHash: string },
  hashElsewhere: (hash: string) => Promise<boolean>,
  genesis: string,
  hashOf: (entry: AuditEntry) => string = entryHash,
): Promise<ChainReport> {
  let expectedSeq = 1;
  let previousHash = genesis;
  let count = 0;
  const report = (firstBreak: ChainBreak | null): ChainReport => ({
    entries: count,
    headSeq: head.lastSeq,
    headHash: head.lastHash,
    firstBreak,
  });
  for await (const entry of entries) {
    count++;
    if (entry.seq !== expectedSeq) {
      return report({
        seq: expectedSeq,
        problem: 'deleted',
        explanation: `entries ${expectedSeq}–${entry.seq - 1} are missing`,
      });
    }
    if (hashOf(entry) !== entry.hash) {
      return report({
        seq: entry.seq,
        problem: 'edited',
        explanation: 'its content does not match its hash',
      });
    }
    if (entry.prevHash !== previousHash) {
      const moved = await hashElsewhere(entry.prevHash);
      return report(
        moved
          ? {
              seq: entry.seq,
              problem: 'reordered',
              explanation: 'it does not follow the entry it was written after',
            }
          : {
              seq: entry.seq,
              problem: 'deleted',
              explanation: 'the entry it was written after is gone or was rewritten',
            },
      );
    }
    previousHash = entry.hash;
    expectedSeq++;
  }
  if (expectedSeq - 1 < head.lastSeq) {
    return report({
      seq: expectedSeq,
      problem: 'deleted',
      explanation: `the log ends at ${expectedSeq - 1} but ${head.lastSeq} entries were written`,
    });
  }
  if (expectedSeq - 1 === head.lastSeq && previousHash !== head.lastHash) {
    return report({
      seq: head.lastSeq,
      problem: 'edited',
      explanation: 'the last entry does not match the head',
    });
  }
  return report(null);
}
