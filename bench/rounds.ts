// Load results taken in rounds, as one: the bench alternates what it compares
// so that a burst of other work on a shared machine falls on both sides.
import { cpuSecondsOf } from './children.ts';
import type { LoadResult } from './load.ts';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Rounds summed: mean throughput, the worst latencies, every error counted. */
export function combine(results: readonly LoadResult[]): LoadResult {
  const sum = (pick: (r: LoadResult) => number) => results.reduce((t, r) => t + pick(r), 0);
  return {
    requestsPerSecond: sum((r) => r.requestsPerSecond) / results.length,
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    total: sum((r) => r.total),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
  };
}

/**
 * `pairs` pairs of one `a` and one `b`, in alternating order (a then b, b
 * then a): whatever drifts on the machine falls on both sides of a pair.
 */
export async function inTurns<A, B>(
  pairs: number,
  a: () => Promise<A>,
  b: () => Promise<B>,
): Promise<{ a: A; b: B }[]> {
  const taken: { a: A; b: B }[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    if (pair % 2 === 0) {
      const first = await a();
      taken.push({ a: first, b: await b() });
    } else {
      const second = await b();
      taken.push({ a: await a(), b: second });
    }
  }
  return taken;
}

/** A load round, with the CPU microseconds per request of process `pid` when /proc tells. */
export async function withCpuOf(
  pid: number | undefined,
  take: () => Promise<LoadResult>,
): Promise<{ result: LoadResult; cpuMicros: number | undefined }> {
  const before = cpuSecondsOf(pid);
  const result = await take();
  const after = cpuSecondsOf(pid);
  const cpuMicros =
    before !== undefined && after !== undefined && result.total > 0
      ? ((after - before) * 1e6) / result.total
      : undefined;
  return { result, cpuMicros };
}
