// No webhook is lost when the server dies: the real `cekrek serve` process,
// with hundreds of deliveries pending to three endpoints, is killed with
// SIGKILL half way and started again; the receiver, counting by webhook-id,
// gets every one at least once (those in flight at the kill may come twice,
// which is what webhook-id is for), and every delivery ends delivered.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedPartner } from './support/factories.ts';
import { AuditService } from '../src/audit/audit.service.ts';
import { loadConfig } from '../src/config.ts';
import { resolveSecretKey } from '../src/main.ts';
import { systemClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { newMessageId } from '../src/webhooks/signing.ts';
import { WebhooksService } from '../src/webhooks/webhooks.service.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { startReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const cli = join(import.meta.dirname, '..', 'bin', 'cekrek.js');
const perEndpoint = 150;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function serve(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [cli, 'serve'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function untilHealthy(port: number, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not start');
}

describeEachDialect('webhooks across a SIGKILL on %s', (dialect) => {
  let testDatabase: TestDatabase;
  let receiver: WebhookReceiver;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase(dialect);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
    }
    await receiver?.close();
    await testDatabase?.close();
  });

  it('delivers every webhook-id at least once when the server is killed half way', async () => {
    const port = await freePort();
    const env = {
      ...testDatabase.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      WEBHOOK_ALLOW_PRIVATE: 'on',
      CEKREK_DEMO: 'off',
      LOG_LEVEL: 'warn',
    };
    const box = new SecretBox(resolveSecretKey(loadConfig(env)));
    const { database } = testDatabase;
    const webhooks = new WebhooksService({
      database,
      audit: new AuditService(database, systemClock, box),
      clock: systemClock,
      box,
      urlPolicy: { allowPrivate: true },
    });
    const now = new Date();
    const partnerId = await seedPartner(database, now);
    const actor = { type: 'system', id: null, label: 'test' } as const;
    const expected = new Set<string>();
    for (const path of ['/a', '/b', '/c']) {
      receiver.on(path, { status: 200, delayMs: 25 });
      const created = await webhooks.create(
        partnerId,
        { url: receiver.url(path), events: ['account.reported'] },
        actor,
      );
      const endpoint = await database.db
        .selectFrom('webhook_endpoints')
        .select('id')
        .where('public_id', '=', created.id)
        .executeTakeFirstOrThrow();
      const rows = Array.from({ length: perEndpoint }, (_, n) => {
        const messageId = newMessageId();
        expected.add(messageId);
        return {
          message_id: messageId,
          endpoint_id: Number(endpoint.id),
          event_type: 'account.reported',
          body: JSON.stringify({ type: 'account.reported', timestamp: now.toISOString(), n }),
          state: 'pending' as const,
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
        };
      });
      await database.db.insertInto('webhook_deliveries').values(rows).execute();
    }

    const first = serve(env);
    children.push(first);
    await untilHealthy(port, first);
    await receiver.until(expected.size / 2, undefined, 30_000);
    const exited = once(first, 'exit');
    first.kill('SIGKILL');
    await exited;
    const atKill = receiver.received.length;
    expect(atKill).toBeLessThan(expected.size);

    const second = serve(env);
    children.push(second);
    await untilHealthy(port, second);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const pending = await database.db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '<>', 'delivered')
        .executeTakeFirstOrThrow();
      if (Number(pending.n) === 0) break;
      if (Date.now() > deadline) throw new Error(`${pending.n} deliveries still not delivered`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
    const distinct = new Set(ids);
    expect([...expected].filter((id) => !distinct.has(id))).toEqual([]);
    expect(distinct.size).toBe(expected.size);
    // Only what was in flight at the kill may have come twice.
    expect(ids.length - distinct.size).toBeLessThanOrEqual(3 * 2);
  }, 150_000);
});
