// Proof of work against automated submissions (ALTCHA): the server hands out
// a signed challenge, the browser (or an API client) finds the number whose
// hash matches, and a submission carries the solution. Each solution is spent
// once: its signature is written in the submission's own transaction, so a
// replay fails and a failed submission does not spend it.
import { createHash } from 'node:crypto';
import { createChallenge, verifySolution } from 'altcha-lib';
import type { Executor } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { SecretBox } from '../shared/secret-box.ts';

export interface Challenge {
  readonly algorithm: string;
  readonly challenge: string;
  readonly maxnumber: number;
  readonly salt: string;
  readonly signature: string;
}

/** About a second of hashing in a phone's browser, and nothing for a server to hand out. */
const maxNumber = 50_000;
const lifetimeMs = 20 * 60_000;

export class ChallengeService {
  readonly enabled: boolean;
  readonly #hmacKey: string;
  readonly #clock: Clock;

  constructor(options: { enabled: boolean; box: SecretBox; clock: Clock }) {
    this.enabled = options.enabled;
    this.#hmacKey = options.box.key('field').toString('base64url') + ':altcha';
    this.#clock = options.clock;
  }

  async create(): Promise<Challenge> {
    const expires = new Date(this.#clock.now().getTime() + lifetimeMs);
    const challenge = await createChallenge({ hmacKey: this.#hmacKey, maxNumber, expires });
    return { ...challenge, maxnumber: challenge.maxnumber ?? maxNumber };
  }

  /**
   * Checks a solution and spends it in the caller's transaction. Returns
   * false when none was given (the page without JavaScript); throws
   * challenge_failed for a wrong, expired or spent one.
   */
  async spend(executor: Executor, payload: string | undefined): Promise<boolean> {
    if (!payload) return false;
    const valid = await verifySolution(payload, this.#hmacKey, true).catch(() => false);
    if (!valid) throw new AppError('challenge_failed');
    const id = createHash('sha256').update(payload, 'utf8').digest('hex');
    const now = this.#clock.now();
    const spent = await executor
      .insertInto('challenge_uses')
      .values({ id, expires_at: new Date(now.getTime() + lifetimeMs) })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!spent) throw new AppError('challenge_failed');
    await executor.deleteFrom('challenge_uses').where('expires_at', '<', now).execute();
    return true;
  }
}
