// Solving the proof of work as a client would: fetch a challenge, find the
// number whose SHA-256 (with the salt) is the challenge, send it back encoded.
// A plain loop over node:crypto, since altcha-lib's solver (one WebCrypto call
// a number) takes seconds on a busy machine and tests solve many.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

interface Challenge {
  readonly algorithm: string;
  readonly challenge: string;
  readonly maxnumber: number;
  readonly salt: string;
  readonly signature: string;
}

function solve(c: Challenge): number {
  if (c.algorithm !== 'SHA-256') throw new Error(`cannot solve ${c.algorithm}`);
  for (let number = 0; number <= c.maxnumber; number++) {
    const hash = createHash('sha256').update(`${c.salt}${number}`).digest('hex');
    if (hash === c.challenge) return number;
  }
  throw new Error('challenge without a solution');
}

/** A fresh challenge from the app, solved: the `altcha` field of a submission. */
export async function solvedChallenge(app: FastifyInstance): Promise<string> {
  const c = (await app.inject({ url: '/api/v1/challenge' })).json<Challenge>();
  const payload = {
    algorithm: c.algorithm,
    challenge: c.challenge,
    number: solve(c),
    salt: c.salt,
    signature: c.signature,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}
