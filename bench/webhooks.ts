// The webhooks figures of `npm run bench`, on a running server (its own
// delivery worker does the sending; this process only queues rows and
// receives): (a) the median time from a delivery row becoming due to a
// receiver on loopback getting it, and (b) 1000 events fanned out to ten
// endpoints, one of which never answers: the other nine must each receive
// all 1000, once each (counted by webhook-id).
//
// The server must run with WEBHOOK_ALLOW_PRIVATE=on (the receivers are on
// 127.0.0.1). Endpoints are registered through the API with a key of scope
// `watch` made by the `cekrek partner` commands; the event rows are written
// straight into webhook_deliveries, as a state change's transaction writes
// them, through the same database the server uses (`env`: DATA_DIR, or
// DATABASE_URL and CEKREK_SECRET_KEY).
import { createServer, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { openConfiguredDatabase } from '../src/main.ts';
import type { Database } from '../src/db/database.ts';
import { newMessageId } from '../src/webhooks/signing.ts';
import { runNode } from './children.ts';

export interface WebhooksResult {
  /** Due → received on loopback, over `samples` single deliveries. */
  readonly latency: { readonly samples: number; readonly medianMs: number; readonly p90Ms: number };
  readonly fanOut: {
    readonly events: number;
    readonly endpoints: number;
    /** From all rows becoming due to the nine live receivers having every event. */
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
  readonly arrivals = new Map<string, number>();
  requests = 0;
  readonly #server: Server;
  readonly #hanging = new Set<ServerResponse>();

  constructor(readonly hang: boolean) {
    this.#server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const id = String(request.headers['webhook-id']);
        this.requests += 1;
        this.ids.set(id, (this.ids.get(id) ?? 0) + 1);
        if (!this.arrivals.has(id)) this.arrivals.set(id, performance.now());
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

async function endpointRowId(database: Database, publicId: string): Promise<number> {
  const row = await database.db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('public_id', '=', publicId)
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

function eventBody(n: number, at: Date): string {
  const number = String(7_100_000_000 + n);
  return JSON.stringify({
    type: 'account.reported',
    timestamp: at.toISOString(),
    data: {
      account: { provider: '014', number, key: `014:${number}`, keyHash: 'bench' },
      status: 'reported',
      reports: { verified: 1 },
      changedAt: at.toISOString(),
    },
  });
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

/** (a): one row at a time, each due as it commits, at random moments against the poll. */
async function measureLatency(
  database: Database,
  endpointId: number,
  receiver: Receiver,
  samples: number,
): Promise<WebhooksResult['latency']> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
    const messageId = newMessageId();
    const at = new Date();
    await database.db
      .insertInto('webhook_deliveries')
      .values({
        message_id: messageId,
        endpoint_id: endpointId,
        event_type: 'account.reported',
        body: eventBody(i, at),
        state: 'pending',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
      })
      .execute();
    const due = performance.now();
    if (!(await until(() => receiver.arrivals.has(messageId), 10_000))) {
      throw new Error('a delivery did not arrive within 10 s');
    }
    times.push(receiver.arrivals.get(messageId)! - due);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { samples, medianMs: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9) };
}

/** (b): every row written not yet due, then all made due in one statement. */
async function measureFanOut(
  database: Database,
  endpoints: readonly { rowId: number; receiver: Receiver }[],
  events: number,
): Promise<WebhooksResult['fanOut']> {
  const later = new Date(Date.now() + 3_600_000);
  const rows = [];
  for (let n = 0; n < events; n++) {
    const body = eventBody(n, new Date());
    for (const { rowId } of endpoints) {
      rows.push({
        message_id: newMessageId(),
        endpoint_id: rowId,
        event_type: 'account.reported',
        body,
        state: 'pending' as const,
        attempts: 0,
        next_attempt_at: later,
        created_at: new Date(),
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) {
    await database.db
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + 500))
      .execute();
  }
  await database.db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: new Date() })
    .where(
      'endpoint_id',
      'in',
      endpoints.map((e) => e.rowId),
    )
    .where('state', '=', 'pending')
    .execute();
  const begun = performance.now();
  const live = endpoints.filter((e) => !e.receiver.hang);
  const complete = await until(() => live.every((e) => e.receiver.ids.size >= events), 600_000);
  const seconds = (performance.now() - begun) / 1000;
  // A moment more, so that a late duplicate would be counted.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const received = live.map((e) => e.receiver.ids.size);
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
  const database = openConfiguredDatabase(loadConfig(run.env));
  const receivers: Receiver[] = [];
  const registered: string[] = [];
  let key: string | undefined;
  try {
    key = await watchKey(run.base, run.env);
    const endpointOf = async (hang: boolean) => {
      const receiver = new Receiver(hang);
      receivers.push(receiver);
      const publicId = await register(run.base, key!, await receiver.start());
      registered.push(publicId);
      return { rowId: await endpointRowId(database, publicId), receiver };
    };

    const single = await endpointOf(false);
    const latency = await measureLatency(database, single.rowId, single.receiver, samples);
    console.log(
      `   webhooks: due → received on loopback, median ${latency.medianMs.toFixed(0)} ms ` +
        `(p90 ${latency.p90Ms.toFixed(0)} ms, ${samples} deliveries)`,
    );

    const fanned = [];
    for (let i = 0; i < 10; i++) fanned.push(await endpointOf(i === 0));
    const fanOut = await measureFanOut(database, fanned, events);
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
      await fetch(`${run.base}/api/v1/partner/webhooks/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${key}` },
      }).catch(() => undefined);
    }
    await Promise.all(receivers.map((r) => r.close()));
    await database.close();
  }
}
