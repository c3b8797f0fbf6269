// The range figure of `npm run bench`: the private lookup
// (GET /api/v1/range/{prefix}) under load, against bare node:http answering
// a text body as large as an average range answer, in the same run.
import { keyHash } from '../src/accounts/range.ts';
import { seededRandom, type AccountSample } from './generate.ts';

/**
 * Distinct prefixes the load cycles through: half of them buckets of
 * imported accounts, half drawn at random (at a million listed accounts,
 * most of those hold one too). Fewer than the answers the server keeps
 * rendered (RangeService's cache holds 24 MB, some 3,500 buckets), so what
 * is measured is the steady state of hot buckets: the kept bytes.
 */
const rangePathCount = 2500;

function randomPrefix(random: () => number): string {
  return Math.floor(random() * 0x100000)
    .toString(16)
    .toUpperCase()
    .padStart(5, '0');
}

export function rangePaths(present: readonly AccountSample[]): string[] {
  const random = seededRandom(5);
  return Array.from({ length: rangePathCount }, (_, i) => {
    const account = present[Math.floor(random() * present.length)];
    const prefix =
      i % 2 === 0 && account
        ? keyHash(`${account.provider}:${account.number}`).slice(0, 5)
        : randomPrefix(random);
    return `/api/v1/range/${prefix}`;
  });
}

/** The mean size of the answers to a sample of the paths, and how many name a listed account. */
export async function sampleRangeAnswers(base: string, paths: readonly string[]) {
  let bytes = 0;
  let listed = 0;
  const sample = paths.slice(0, 500);
  for (const path of sample) {
    const body = await (await fetch(base + path)).text();
    bytes += Buffer.byteLength(body);
    if (/:(reported|disputed|normalized|verified_seller)$/m.test(body)) listed++;
  }
  return { bodyBytes: Math.round(bytes / sample.length), listedShare: listed / sample.length };
}
