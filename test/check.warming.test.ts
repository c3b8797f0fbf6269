// The check from the first request, while its filter of listed accounts is
// still being read (at ten million accounts, seconds after start): every
// answer is correct, read through the index; a change heard meanwhile is in
// the filter once it is built; a build that fails is tried again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CheckService, type CheckSource } from '../src/accounts/check.service.ts';
import { checkSourceFor } from '../src/accounts/check.source.ts';
import { serializeCheck } from '../src/accounts/check.schema.ts';
import { toAccountRef } from '../src/shared/account-number.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';
import { seedReports } from './support/factories.ts';

/** The real source, whose reading of every listed key waits for `open()`; the first read may fail. */
function gatedSource(real: CheckSource, failFirst = false) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reads = 0;
  const source: CheckSource = {
    ...real,
    async *listedKeys() {
      reads++;
      if (failFirst && reads === 1) throw new Error('connection reset');
      await gate;
      yield* real.listedKeys();
    },
  };
  return { source, open, reads: () => reads };
}

async function statusOf(checks: CheckService, provider: string, number: string) {
  return (await checks.check(toAccountRef(provider, number))).result.status;
}

for (const dialect of dialects) {
  describeOn(dialect)(`the check while its filter builds on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedReports(t.database, [{ provider: '014', number: '5100000001' }]);
    });
    afterAll(() => t?.close());

    it('answers correctly through the index until the filter is in, then from memory', async () => {
      const gated = gatedSource(checkSourceFor(t.database));
      const checks = new CheckService(gated.source, { serialize: serializeCheck });
      const warming = checks.startWarming();
      expect(checks.isWarm).toBe(false);
      expect(await statusOf(checks, '014', '5100000001')).toBe('reported');
      expect(await statusOf(checks, '014', '5100000002')).toBe('clear');
      // Listed while the filter is being read, and heard through the feed.
      const keys = await seedReports(t.database, [{ provider: '014', number: '5100000003' }]);
      checks.changed(keys);
      expect(await statusOf(checks, '014', '5100000003')).toBe('reported');
      gated.open();
      await warming;
      expect(checks.isWarm).toBe(true);
      expect(checks.stats.filtered).toBeGreaterThanOrEqual(2);
      expect(await statusOf(checks, '014', '5100000001')).toBe('reported');
      expect(await statusOf(checks, '014', '5100000003')).toBe('reported');
      expect(await statusOf(checks, '014', '5100000002')).toBe('clear');
    });

    it('tries a failed build again', async () => {
      const gated = gatedSource(checkSourceFor(t.database), true);
      const checks = new CheckService(gated.source, { serialize: serializeCheck });
      gated.open();
      await checks.startWarming();
      expect(gated.reads()).toBe(2);
      expect(checks.isWarm).toBe(true);
      expect(await statusOf(checks, '014', '5100000001')).toBe('reported');
    });
  });
}
