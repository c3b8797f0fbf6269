// The load generator, in a process of its own so that it does not share a
// core's event loop with what it measures. Every connection cycles through
// the same list of paths from its own starting point, so the mix of present
// and absent accounts holds at every moment. Prints one JSON line.
//
//   node bin/run-ts.js bench/load.ts '{"url":"http://127.0.0.1:3000","pathsFile":"paths.json",…}'
import { readFileSync } from 'node:fs';
import autocannon, { type Request } from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly pathsFile: string;
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Sent with every request (a partner's key). */
  readonly headers?: Record<string, string>;
  /** A POST of this JSON body to every path (the bulk check) instead of a GET. */
  readonly body?: string;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** Requests per connection before it starts over. */
const perConnection = 1000;

function requestsFrom(options: LoadOptions, paths: readonly string[], start: number): Request[] {
  const post = options.body !== undefined;
  const headers = {
    ...options.headers,
    ...(post ? { 'content-type': 'application/json' } : {}),
  };
  return Array.from({ length: perConnection }, (_, i) => ({
    method: post ? 'POST' : 'GET',
    path: paths[(start + i) % paths.length]!,
    headers,
    ...(post ? { body: options.body } : {}),
  }));
}

function run(options: LoadOptions, paths: readonly string[], seconds: number) {
  let client = 0;
  const stride = Math.floor(paths.length / options.connections);
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    setupClient: (c) => c.setRequests(requestsFrom(options, paths, client++ * stride)),
  });
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const paths = JSON.parse(readFileSync(options.pathsFile, 'utf8')) as string[];
  if (options.warmupSeconds > 0) await run(options, paths, options.warmupSeconds);
  const result = await run(options, paths, options.seconds);
  const summary: LoadResult = {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  console.log(JSON.stringify(summary));
}

await main();
