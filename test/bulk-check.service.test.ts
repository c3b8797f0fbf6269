// The bulk check reads through the same filter and cache as the single check:
// each answer is the single check's, byte for byte, in the order asked, and
// all the accounts memory cannot answer are read in one go.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serializeCheck } from '../src/accounts/check.schema.ts';
import { CheckService, type CheckSource } from '../src/accounts/check.service.ts';
import { checkSourceFor } from '../src/accounts/check.source.ts';
import { toAccountRef } from '../src/shared/account-number.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { seedDispute, seedReports } from './support/factories.ts';

/** The real source, with its reads counted. */
function countingSource(source: CheckSource) {
  const reads = { single: 0, many: 0, keys: 0 };
  const counted: CheckSource = {
    lookup: (key) => {
      reads.single++;
      return source.lookup(key);
    },
    lookupMany: (keys) => {
      reads.many++;
      reads.keys += keys.length;
      return source.lookupMany(keys);
    },
    listedKeys: () => source.listedKeys(),
    countListed: () => source.countListed(),
  };
  return { counted, reads };
}

describeEachDialect('bulk check', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedReports(t.database, [
      { provider: '014', number: '3000000001' },
      { provider: '014', number: '3000000001' },
      { provider: 'ovo', number: '081234567890' },
      { provider: '008', number: '3000000000003' },
    ]);
    await seedDispute(t.database, '008', '3000000000003', '2026-03-01T00:00:00Z');
  });
  afterAll(() => t?.close());

  const asked = [
    ['014', '3000000001'],
    ['002', '111222333444555'],
    ['ovo', '0812-3456-7890'],
    ['008', '3000000000003'],
    ['014', '3000000001'],
    ['bca', '9999999999'],
  ] as const;

  it('answers each account as the single check does, in the order asked, in one read', async () => {
    const { counted, reads } = countingSource(checkSourceFor(t.database));
    const bulk = new CheckService(counted, { serialize: serializeCheck });
    await bulk.warm();
    const single = new CheckService(checkSourceFor(t.database), { serialize: serializeCheck });
    await single.warm();

    const accounts = asked.map(([provider, number]) => toAccountRef(provider, number));
    const answers = await bulk.checkMany(accounts);
    expect(reads).toEqual({ single: 0, many: 1, keys: 3 });
    const singles = await Promise.all(accounts.map(async (a) => (await single.check(a)).json));
    expect(answers.map((a) => a.json)).toEqual(singles);
    expect(answers.map((a) => a.result.status)).toEqual([
      'reported',
      'clear',
      'reported',
      'disputed',
      'reported',
      'clear',
    ]);

    // Now cached: memory answers everything, no read at all.
    const again = await bulk.checkMany(accounts);
    expect(reads.many).toBe(1);
    expect(again.map((a) => a.json)).toEqual(singles);
  });

  it('answers from memory alone when nobody reported any of the accounts', async () => {
    const { counted, reads } = countingSource(checkSourceFor(t.database));
    const bulk = new CheckService(counted, { serialize: serializeCheck });
    await bulk.warm();
    const accounts = Array.from({ length: 1000 }, (_, i) =>
      toAccountRef('014', String(5_000_000_000 + i)),
    );
    const answers = bulk.checkMany(accounts);
    expect(answers).not.toBeInstanceOf(Promise);
    expect(
      (answers as { result: { status: string } }[]).every((a) => a.result.status === 'clear'),
    ).toBe(true);
    expect(reads).toEqual({ single: 0, many: 0, keys: 0 });
  });
});
