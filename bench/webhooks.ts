// The webhooks figures of `npm run bench`, on a running server (its own
// delivery worker does the sending; this process causes the events and
// receives them): (a) the median time from a reviewer verifying a report on
// a watched account to a receiver on loopback getting its `account.reported`,
// and (b) 1000 events on watched accounts fanned out to ten endpoints, one of
// which never answers: the other nine must each receive all 1000, once each
// (counted by webhook-id).
//
// The server must run with WEBHOOK_ALLOW_PRIVATE=on (the receivers are on
// 127.0.0.1). Endpoints and watches are registered through the API with a key
// of scope `watch` made by the `cekrek partner` commands. The events come from
// cekrek's own code in this process, on the database the server uses (`env`:
// DATA_DIR, or DATABASE_URL and CEKREK_SECRET_KEY): the reviewer's decision
// (ReportsService.decide), and for the fan-out the enqueue every state change
// calls in its transaction (enqueueAccountEvents), for 1000 accounts at once.
// A reviewer working on another process than the one that sends is the
// slower case: the sender hears of the event at its next poll.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { createRuntime, type Runtime } from '../src/main.ts';
import type { Database } from '../src/db/database.ts';
import { keyHash } from '../src/accounts/range.ts';
import { toAccountRef } from '../src/shared/account-number.ts';
import { enqueueAccountEvents } from '../src/watches/watches.service.ts';
import { seedOperator, seedReports } from '../test/support/factories.ts';
import { runNode } from './children.ts';

export interface WebhooksResult {
  /** A report verified → its event received on loopback, over `samples` reports. */
  readonly latency: { readonly samples: number; readonly medianMs: number; readonly p90Ms: number };
  readonly fanOut: {
    readonly events: number;
    readonly endpoints: number;
    /** From the enqueue's commit to the nine live receivers having every event. */
    readonly seconds: number;
    readonly deliveriesPerSecond: number;
    /** Distinct webhook-ids each live receiver got (1000 each when nothing was lost). */
    readonly received: readonly number[];
    /** Requests beyond the first per webhook-id at the live receivers (0: each once). */
    readonly duplicates: number;
    /** Requests that reached the endpoint that never answers (its slots only). */
    readonly deadAttempts: number;
    readonly complete: boolean;
  };
}

export interface WebhooksRun {
  /** The running server, e.g. http://127.0.0.1:3000. */
  readonly base: string;
  /** The database the server uses (as the other bench modules take it). */
  readonly env: Record<string, string>;
  readonly samples?: number;
  readonly events?: number;
}

/** A receiver on loopback: counts requests per webhook-id; `hang` never answers. */
class Receiver {
  readonly ids = new Map<string, number>();
  /** When the first event on each account key arrived. */
  readonly arrivals = new Map<string, number>();
  requests = 0;
  readonly #server: Server;
  readonly #hanging = new Set<ServerResponse>();

  constructor(readonly hang: boolean) {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const at = performance.now();
        const id = String(request.headers['webhook-id']);
        this.requests += 1;
        this.ids.set(id, (this.ids.get(id) ?? 0) + 1);
        const key = accountKeyOf(Buffer.concat(chunks).toString('utf8'));
        if (key && !this.arrivals.has(key)) this.arrivals.set(key, at);
        if (this.hang) {
          this.#hanging.add(response);
          return;
        }
        response.writeHead(204).end();
      });
    });
  }

  async start(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }
}

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const run = await runNode(['bin/cekrek.js', ...args], env);
  if (run.code !== 0) throw new Error(`cekrek ${args.join(' ')} failed: ${run.stderr.trim()}`);
  return run.stdout;
}

async function watchKey(base: string, env: Record<string, string>): Promise<string> {
  const created = await cli(
    ['partner', 'create', '--name', 'Bench Webhooks', '--kind', 'bank'].concat([
      '--email',
      'webhooks@bench.test',
    ]),
    env,
  );
  const id = /created partner (\d+)/.exec(created)?.[1];
  if (!id) throw new Error(`no partner id in: ${created}`);
  const issued = await cli(['partner', 'key', 'create', '--partner', id, '--scope', 'watch'], env);
  const key = /ckr_live_\w+/.exec(issued)?.[0];
  if (!key) throw new Error('no key printed');
  // The server hears of the key through its key feed.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const answer = await fetch(`${base}/api/v1/partner`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (answer.ok) return key;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server never knew the key');
}

async function register(base: string, key: string, url: string): Promise<string> {
  const answer = await fetch(`${base}/api/v1/partner/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, events: ['account.reported'] }),
  });
  const body = (await answer.json()) as { id?: string; code?: string };
  if (answer.status === 400 && body.code === 'invalid_webhook_url') {
    throw new Error(
      'the server refuses loopback receivers: start it with WEBHOOK_ALLOW_PRIVATE=on',
    );
  }
  if (answer.status !== 201 || !body.id) throw new Error(`register: ${answer.status}`);
  return body.id;
}

function accountKeyOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { data?: { account?: { key?: string } } }).data?.account?.key;
  } catch {
    return undefined;
  }
}

async function watchAccounts(base: string, key: string, keys: readonly string[]): Promise<void> {
  const answer = await fetch(`${base}/api/v1/partner/watches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ hashes: keys.map(keyHash) }),
  });
  if (answer.status !== 200) throw new Error(`watch: ${answer.status}`);
}

async function unregister(base: string, key: string, publicId: string): Promise<void> {
  await fetch(`${base}/api/v1/partner/webhooks/${publicId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${key}` },
  });
}

/** Accounts of the bench's own range, none of them reported before. */
function benchAccounts(first: number, count: number): { number: string; key: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const number = String(7_100_000_000 + first + i);
    return { number, key: toAccountRef('014', number).key };
  });
}

async function reportIdOn(database: Database, key: string): Promise<number> {
  const row = await database.db
    .selectFrom('reports')
    .innerJoin('accounts', 'accounts.id', 'reports.account_id')
    .select('reports.id')
    .where('accounts.key', '=', key)
    .where('reports.status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

async function accountIdsOf(database: Database, keys: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await database.db
      .selectFrom('accounts')
      .select('id')
      .where('key', 'in', keys.slice(i, i + 500))
      .execute();
    ids.push(...rows.map((r) => Number(r.id)));
  }
  return ids;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function until(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}

/**
 * (a): one report at a time, filed earlier on a watched account, verified by
 * a reviewer at random moments against the sender's poll; timed from the
 * decision's start to the event's arrival.
 */
async function measureLatency(
  runtime: Runtime,
  watch: (keys: readonly string[]) => Promise<void>,
  receiver: Receiver,
  samples: number,
): Promise<WebhooksResult['latency']> {
  const accounts = benchAccounts(0, samples);
  await seedReports(
    runtime.database,
    accounts.map((a) => ({ provider: '014', number: a.number, status: 'submitted' as const })),
  );
  await watch(accounts.map((a) => a.key));
  const reviewer = await seedOperator(runtime.database, 'bench-reviewer@cekrek.test', ['reviewer']);
  const verify = { decision: 'verify', reason: 'evidence_sufficient', note: null } as const;
  const times: number[] = [];
  for (const account of accounts) {
    const id = await reportIdOn(runtime.database, account.key);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
    const decided = performance.now();
    await runtime.services.reports.decide(id, reviewer, verify);
    if (!(await until(() => receiver.arrivals.has(account.key), 10_000))) {
      throw new Error('an event did not arrive within 10 s');
    }
    times.push(receiver.arrivals.get(account.key)! - decided);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { samples, medianMs: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9) };
}

/**
 * (b): 1000 listed accounts, watched, each given an `account.reported` in one
 * transaction by the enqueue a state change calls: every endpoint subscribed
 * gets a delivery per account, all due at its commit.
 */
async function measureFanOut(
  runtime: Runtime,
  watch: (keys: readonly string[]) => Promise<void>,
  endpoints: readonly { receiver: Receiver }[],
  events: number,
): Promise<WebhooksResult['fanOut']> {
  const { database } = runtime;
  const accounts = benchAccounts(1_000_000, events);
  await seedReports(
    database,
    accounts.map((a) => ({ provider: '014', number: a.number })),
  );
  await watch(accounts.map((a) => a.key));
  const ids = await accountIdsOf(
    database,
    accounts.map((a) => a.key),
  );
  await database.db
    .transaction()
    .execute((trx) =>
      enqueueAccountEvents(trx, database.dialect, 'account.reported', ids, new Date()),
    );
  const begun = performance.now();
  const live = endpoints.filter((e) => !e.receiver.hang);
  const complete = await until(
    () => live.every((e) => e.receiver.arrivals.size >= events),
    600_000,
  );
  const seconds = (performance.now() - begun) / 1000;
  // A moment more, so that a late duplicate would be counted.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const received = live.map((e) => e.receiver.arrivals.size);
  const duplicates = live.reduce((sum, e) => sum + e.receiver.requests - e.receiver.ids.size, 0);
  const dead = endpoints.find((e) => e.receiver.hang)!.receiver;
  return {
    events,
    endpoints: endpoints.length,
    seconds,
    deliveriesPerSecond: (events * live.length) / seconds,
    received,
    duplicates,
    deadAttempts: dead.requests,
    complete,
  };
}

export async function measureWebhooks(run: WebhooksRun): Promise<WebhooksResult> {
  const samples = run.samples ?? 30;
  const events = run.events ?? 1000;
  // cekrek's services on the server's database, without a listener or workers of their own.
  const runtime = await createRuntime(loadConfig(run.env), {
    prepare: false,
    backgroundLater: true,
  });
  const receivers: Receiver[] = [];
  const registered: string[] = [];
  let key: string | undefined;
  try {
    key = await watchKey(run.base, run.env);
    const watch = (keys: readonly string[]) => watchAccounts(run.base, key!, keys);
    const endpointOf = async (hang: boolean) => {
      const receiver = new Receiver(hang);
      receivers.push(receiver);
      const publicId = await register(run.base, key!, await receiver.start());
      registered.push(publicId);
      return { publicId, receiver };
    };

    const single = await endpointOf(false);
    const latency = await measureLatency(runtime, watch, single.receiver, samples);
    console.log(
      `   webhooks: report verified → event received on loopback, median ` +
        `${latency.medianMs.toFixed(0)} ms (p90 ${latency.p90Ms.toFixed(0)} ms, ${samples} reports)`,
    );
    await unregister(run.base, key, single.publicId);

    const fanned = [];
    for (let i = 0; i < 10; i++) fanned.push(await endpointOf(i === 0));
    const fanOut = await measureFanOut(runtime, watch, fanned, events);
    console.log(
      `   webhooks: ${events} events × ${fanOut.endpoints} endpoints (one never answers): ` +
        `the nine live ones got ${fanOut.received.join('/')} distinct in ` +
        `${fanOut.seconds.toFixed(1)} s (${Math.round(fanOut.deliveriesPerSecond)} deliveries/s), ` +
        `${fanOut.duplicates} duplicates; the dead one took ${fanOut.deadAttempts} requests` +
        (fanOut.complete ? '' : ' — INCOMPLETE'),
    );
    return { latency, fanOut };
  } finally {
    // Deleting the endpoints fails what is still pending (the dead one's backlog).
    for (const id of registered) {
      await unregister(run.base, key!, id).catch(() => undefined);
    }
    await Promise.all(receivers.map((r) => r.close()));
    await runtime.close();
  }
}
