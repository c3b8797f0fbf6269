// The operators' own figures on both databases: seeded open items of known
// ages fall in the right age bands with the oldest one's age; decisions of
// known durations give the median over the last 30 days (operators' decisions
// only, "—" without any); decisions per operator land in the right ISO weeks.
// Each role sees the queues it works; only admins see the operators' figures,
// on the dashboard page and in GET /api/v1/admin/dashboard/figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAccountRef } from '../src/shared/account-number.ts';
import { ensureAccounts } from '../src/accounts/accounts.repository.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { dialects, describeOn } from './support/databases.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { PageClient, signInThroughPages, textOf } from './support/backoffice.ts';

const password = 'a long test password 123';
const hour = 60 * 60 * 1000;
const day = 24 * hour;
/** A Wednesday, 12:00 WIB: the current ISO week is 2026-W11 (from Monday 9 March). */
const start = new Date('2026-03-11T05:00:00Z');
const ago = (ms: number) => new Date(start.getTime() - ms);

interface FiguresBody {
  queues: {
    queue: string;
    backlog: {
      total: number;
      bands: Record<string, number>;
      oldestSubmittedAt: string | null;
      oldestAgeSeconds: number | null;
    };
    decisionTime: { days: number; decisions: number; medianSeconds: number | null };
  }[];
  operators?: {
    weeks: { week: string; start: string; end: string }[];
    rows: { operator: { id: number; email: string | null }; queue: string; counts: number[] }[];
  };
}

/** The cell of a table row of the page, found by its data attributes. */
function cell(html: string, attributes: string): string {
  const match = new RegExp(`<td[^>]*${attributes}[^>]*>(.*?)</td>`).exec(html);
  if (!match) throw new Error(`no cell ${attributes}`);
  return textOf(match[1]!).trim();
}

for (const dialect of dialects) {
  describeOn(dialect)(`operators' figures on ${dialect}`, () => {
    let runtime: TestRuntime;
    const clock = new ManualClock(start);
    const ids: Record<string, number> = {};
    /** Each operator's TOTP key, once enrolled. */
    const secrets = new Map<string, string>();

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
      for (const [email, roles] of [
        ['admin@cekrek.test', ['admin']],
        ['reviewer-a@cekrek.test', ['reviewer']],
        ['reviewer-b@cekrek.test', ['reviewer']],
        ['registrar@cekrek.test', ['registrar']],
        ['mediator@cekrek.test', ['mediator']],
      ] as const) {
        const { operator } = await createOperator(runtime, email, [...roles], password);
        ids[email] = operator.id;
      }
      const db = runtime.testDatabase.database.db;
      const refs = Array.from({ length: 30 }, (_, i) =>
        toAccountRef('bca', String(1234567000 + i)),
      );
      const accounts = await ensureAccounts(db, refs, start);
      let next = 0;
      const account = () => accounts.get(refs[next++]!.key)!;

      const report = (created: Date, values: Record<string, unknown> = {}) =>
        db
          .insertInto('reports')
          .values({
            account_id: account(),
            status: 'submitted',
            category: 'online_shopping_fraud',
            source: 'public',
            reported_at: created,
            created_at: created,
            updated_at: created,
            ...values,
          })
          .execute();
      // Open reports: 2 under a day, 1 of 1–3 days, 1 of 3–7, 1 of 7–14, 2 over 14 days.
      for (const [age, status] of [
        [2 * hour, 'submitted'],
        [5 * hour, 'in_review'],
        [2 * day, 'submitted'],
        [5 * day, 'submitted'],
        [10 * day, 'in_review'],
        [20 * day, 'submitted'],
        [40 * day, 'submitted'],
      ] as const) {
        await report(ago(age), { status });
      }
      // Decided reports: (decided how long ago, how long it took, by whom).
      const decided: [number, number, string | null][] = [
        [1 * day, 1 * hour, 'reviewer-a@cekrek.test'], // W11
        [3 * day, 3 * hour, 'reviewer-a@cekrek.test'], // Sunday 8 March: W10
        [10 * day, 5 * hour, 'reviewer-a@cekrek.test'], // Sunday 1 March: W09
        [2 * day, 10 * hour, 'reviewer-b@cekrek.test'], // Monday 9 March: W11
        [40 * day, 100 * hour, 'reviewer-a@cekrek.test'], // past 30 days; Friday 30 January: W05
        [70 * day, 1 * hour, 'reviewer-a@cekrek.test'], // before the 8 weeks
        [5 * day, 1000 * hour, null], // nobody's decision (an import or demo row)
      ];
      for (const [when, took, by] of decided) {
        await report(ago(when + took), {
          status: 'verified',
          verified_at: ago(when),
          decided_at: ago(when),
          decided_by: by === null ? null : ids[by],
          decision_reason: 'clear_evidence',
        });
      }

      const registration = (created: Date, values: Record<string, unknown>) =>
        db
          .insertInto('seller_registrations')
          .values({
            account_id: account(),
            status: 'submitted',
            business_name: 'Toko Contoh',
            holder_name: 'sealed',
            created_at: created,
            updated_at: created,
            ...values,
          })
          .execute();
      await registration(ago(12 * hour), { status: 'in_review' });
      await registration(ago(8 * day), { status: 'submitted' });
      // Decided in 2 days, on Thursday 19 February (W08).
      await registration(ago(22 * day), {
        status: 'approved',
        decided_at: ago(20 * day),
        decided_by: ids['registrar@cekrek.test'],
      });

      const normalization = (created: Date, values: Record<string, unknown>) =>
        db
          .insertInto('normalization_requests')
          .values({
            account_id: account(),
            status: 'submitted',
            channel: 'online',
            created_at: created,
            updated_at: created,
            ...values,
          })
          .execute();
      await normalization(ago(1 * hour), { status: 'proposed' });
      await normalization(ago(3.5 * day), { status: 'submitted' });
      await normalization(ago(16 * day), { status: 'mediation' });
      // Confirmed on Sunday 25 January (W04, the first week shown), 45 days ago: past 30 days.
      await normalization(ago(59 * day), {
        status: 'granted',
        decided_at: ago(45 * day),
        confirmed_by: ids['mediator@cekrek.test'],
      });
    });
    afterAll(async () => {
      await runtime.close();
    });

    async function figuresOf(email: string): Promise<FiguresBody> {
      const { client, secret } = await signedIn(
        runtime,
        clock,
        email,
        password,
        secrets.get(email),
      );
      secrets.set(email, secret);
      const response = await client.request('GET', '/api/v1/admin/dashboard/figures');
      expect(response.statusCode).toBe(200);
      return response.json<FiguresBody>();
    }

    describe('the API', () => {
      it('gives an admin every queue by age, the medians and the decisions per operator', async () => {
        const figures = await figuresOf('admin@cekrek.test');
        expect(figures.queues.map((q) => q.queue)).toEqual([
          'reports',
          'registrations',
          'normalizations',
        ]);
        const [reports, registrations, normalizations] = figures.queues;
        expect(reports!.backlog.bands).toEqual({
          under1Day: 2,
          days1To3: 1,
          days3To7: 1,
          days7To14: 1,
          over14Days: 2,
        });
        expect(reports!.backlog.total).toBe(7);
        expect(reports!.backlog.oldestSubmittedAt).toBe(ago(40 * day).toISOString());
        // The clock moved on a little while signing in.
        expect(reports!.backlog.oldestAgeSeconds! / 86400).toBeCloseTo(40, 1);
        // 1, 3, 5 and 10 hours: the older decision and nobody's are left out.
        expect(reports!.decisionTime).toEqual({ days: 30, decisions: 4, medianSeconds: 4 * 3600 });

        expect(registrations!.backlog.bands).toEqual({
          under1Day: 1,
          days1To3: 0,
          days3To7: 0,
          days7To14: 1,
          over14Days: 0,
        });
        expect(registrations!.decisionTime).toEqual({
          days: 30,
          decisions: 1,
          medianSeconds: 2 * 86400,
        });

        expect(normalizations!.backlog.bands).toEqual({
          under1Day: 1,
          days1To3: 0,
          days3To7: 1,
          days7To14: 0,
          over14Days: 1,
        });
        expect(normalizations!.backlog.total).toBe(3);
        expect(normalizations!.decisionTime).toEqual({
          days: 30,
          decisions: 0,
          medianSeconds: null,
        });

        const operators = figures.operators!;
        expect(operators.weeks.map((w) => w.week)).toEqual([
          '2026-W04',
          '2026-W05',
          '2026-W06',
          '2026-W07',
          '2026-W08',
          '2026-W09',
          '2026-W10',
          '2026-W11',
        ]);
        // Monday 00:00 WIB.
        expect(operators.weeks.at(-1)!.start).toBe('2026-03-08T17:00:00.000Z');
        const rows = Object.fromEntries(
          operators.rows.map((r) => [`${r.operator.email} ${r.queue}`, r.counts]),
        );
        expect(rows).toEqual({
          'mediator@cekrek.test normalizations': [1, 0, 0, 0, 0, 0, 0, 0],
          'registrar@cekrek.test registrations': [0, 0, 0, 0, 1, 0, 0, 0],
          'reviewer-a@cekrek.test reports': [0, 1, 0, 0, 0, 1, 1, 1],
          'reviewer-b@cekrek.test reports': [0, 0, 0, 0, 0, 0, 0, 1],
        });
        expect(operators.rows.find((r) => r.operator.email === 'reviewer-b@cekrek.test')).toEqual(
          expect.objectContaining({
            operator: { id: ids['reviewer-b@cekrek.test'], email: 'reviewer-b@cekrek.test' },
            total: 1,
          }),
        );
      });

      it('gives each other role the queue it works, without the operators', async () => {
        const reviewer = await figuresOf('reviewer-a@cekrek.test');
        expect(reviewer.queues.map((q) => q.queue)).toEqual(['reports']);
        expect(reviewer.operators).toBeUndefined();
        const registrar = await figuresOf('registrar@cekrek.test');
        expect(registrar.queues.map((q) => q.queue)).toEqual(['registrations']);
        expect(registrar.operators).toBeUndefined();
        const mediator = await figuresOf('mediator@cekrek.test');
        expect(mediator.queues.map((q) => q.queue)).toEqual(['normalizations']);
        expect(mediator.operators).toBeUndefined();
      });

      it('needs a session', async () => {
        const response = await runtime.app.inject({ url: '/api/v1/admin/dashboard/figures' });
        expect(response.statusCode).toBe(401);
      });
    });

    describe('the dashboard page', () => {
      async function page(email: string, path = '/admin') {
        const client = new PageClient(runtime.app);
        const secret = await signInThroughPages(client, clock, email, password, {
          secret: secrets.get(email),
        });
        secrets.set(email, secret);
        const response = await client.get(path);
        expect(response.statusCode).toBe(200);
        return response.body;
      }

      it('shows an admin the tables with captions, and the decisions per operator', async () => {
        const html = await page('admin@cekrek.test');
        expect(html).toContain('<h2 id="figures-title">Angka kerja petugas</h2>');
        expect(html).toContain('<caption id="figures-backlog-caption">Tunggakan menurut umur');
        expect(cell(html, 'data-queue="reports" data-band="under1Day"')).toBe('2');
        expect(cell(html, 'data-queue="reports" data-band="over14Days"')).toBe('2');
        expect(cell(html, 'data-queue="reports" data-band="total"')).toBe('7');
        expect(cell(html, 'data-queue="reports" data-band="oldest"')).toBe('40 hari');
        expect(cell(html, 'data-queue="normalizations" data-band="days3To7"')).toBe('1');
        const times = html.slice(html.indexOf('id="figures-decision-time"'));
        expect(textOf(times)).toContain('Laporan rekening 4 jam 4');
        expect(textOf(times)).toContain('Pendaftaran rekening penjual 2 hari 1');
        expect(textOf(times)).toContain('Normalisasi rekening — 0');
        expect(html).toContain('<time datetime="PT14400S">4 jam</time>');

        expect(html).toContain('id="figures-operators"');
        expect(html).toContain('Keputusan per petugas dan antrean, 8 minggu ISO terakhir');
        expect(html).toContain('<time datetime="2026-W11">Mg 11</time>');
        const row =
          /<tr data-operator="reviewer-a@cekrek.test" data-queue="reports">(.*?)<\/tr>/.exec(
            html,
          )![1]!;
        expect(cell(row, 'data-week="2026-W10"')).toBe('1');
        expect(cell(row, 'data-week="2026-W06"')).toBe('0');
        expect(cell(row, 'data-week="total"')).toBe('4');
        expect(html).not.toContain('style=');
      });

      it('shows a reviewer the reports only, and no operator figures', async () => {
        const html = await page('reviewer-b@cekrek.test');
        expect(html).toContain('<h2 id="figures-title">Angka kerja petugas</h2>');
        expect(cell(html, 'data-queue="reports" data-band="total"')).toBe('7');
        expect(html).not.toContain('data-queue="registrations" data-band');
        expect(html).not.toContain('id="figures-operators');
        expect(html).not.toContain('Keputusan per petugas');
        expect(html).not.toContain('reviewer-a@cekrek.test');
      });

      it('speaks English', async () => {
        const html = await page('registrar@cekrek.test', '/admin?lang=en');
        expect(html).toContain('Backlog by age');
        expect(cell(html, 'data-queue="registrations" data-band="oldest"')).toBe('8 days');
        expect(textOf(html)).toContain('Seller registrations 2 days 1');
      });
    });
  });
}
