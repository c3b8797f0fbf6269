// Signed checkpoints of the audit chain: a head (sequence number and hash)
// and when it was taken, signed with an Ed25519 key derived from
// CEKREK_SECRET_KEY. Printed and logged, a checkpoint is a copy of the head
// kept outside the database: a log cut short or rewritten after it no longer
// contains it. Stored, checkpoints let `audit verify` check the chain against
// every earlier head. The `keying` checkpoint fixes where keyed hashing
// began, so no entry after it can be passed off as an older, unkeyed one.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import type { SecretBox } from '../shared/secret-box.ts';

export type CheckpointKind = 'keying' | 'checkpoint';

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export interface Checkpoint extends AuditHead {
  readonly at: Date;
  /** Ed25519 over checkpointMessage, base64url. */
  readonly signature: string;
}

export interface StoredCheckpoint extends Checkpoint {
  readonly kind: CheckpointKind;
}

/** What is signed: one line per field, so no field can run into another. */
export function checkpointMessage(kind: CheckpointKind, head: AuditHead, at: Date): Buffer {
  return Buffer.from(
    `cekrek audit ${kind} v1\n${head.seq}\n${head.hash}\n${at.toISOString()}`,
    'utf8',
  );
}

const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

export class CheckpointSigner {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  constructor(box: SecretBox) {
    this.#privateKey = createPrivateKey({
      key: Buffer.concat([pkcs8Ed25519Prefix, box.key('audit-checkpoint')]),
      format: 'der',
      type: 'pkcs8',
    });
    this.#publicKey = createPublicKey(this.#privateKey);
  }

  sign(kind: CheckpointKind, head: AuditHead, at: Date): Checkpoint {
    const signature = sign(null, checkpointMessage(kind, head, at), this.#privateKey);
    return { ...head, at, signature: signature.toString('base64url') };
  }

  verify(kind: CheckpointKind, checkpoint: Checkpoint): boolean {
    const signature = Buffer.from(checkpoint.signature, 'base64url');
    if (signature.length !== 64) return false;
    return verify(
      null,
      checkpointMessage(kind, checkpoint, checkpoint.at),
      this.#publicKey,
      signature,
    );
  }

  /** The public key (SPKI PEM): checkpoints can be checked without the secret. */
  publicKeyPem(): string {
    return this.#publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}

/** The one-line form printed by `audit checkpoint` and logged by the daily job. */
export function checkpointJson(checkpoint: Checkpoint): string {
  return JSON.stringify({
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    at: checkpoint.at.toISOString(),
    signature: checkpoint.signature,
  });
}

const hashPattern = /^[0-9a-f]{64}$/;

const printedCheckpoint = z.object({
  seq: z.number().int().nonnegative(),
  hash: z.string().regex(hashPattern),
  at: z.iso.datetime({ offset: true }),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
});

/** A head written down elsewhere: a printed checkpoint, or `seq:hash`. */
export type ExpectedHead = AuditHead | Checkpoint;

export function isCheckpoint(head: ExpectedHead): head is Checkpoint {
  return 'signature' in head;
}

/** Reads `--head`; throws a one-line reason when it is neither form. */
export function parseExpectedHead(text: string): ExpectedHead {
  const trimmed = text.trim();
  const plain = /^(\d+):([0-9a-f]{64})$/.exec(trimmed);
  if (plain) return { seq: Number(plain[1]), hash: plain[2]! };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new Error('--head must be a printed checkpoint (JSON) or seq:hash');
  }
  const parsed = printedCheckpoint.safeParse(json);
  if (!parsed.success) throw new Error('--head is not a checkpoint: seq, hash, at, signature');
  return { ...parsed.data, at: new Date(parsed.data.at) };
}
