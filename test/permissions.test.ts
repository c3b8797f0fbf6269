// The back office's permissions against the table written out by hand
// (support/permission-table.ts), never against the code's own policy: the
// policy, the rule for opening files, and, over HTTP on both databases, a
// seller registration (full NIK, ID photos) kept from every role but the
// registrar's, in the API and in the pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { allows, permissionsOf, policy, roles, type Permission } from '../src/operators/policy.ts';
import { permissionForFiles } from '../src/files/files.access.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { describeOn, dialects } from './support/databases.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { permissionTable, tableAllows, tableRoles } from './support/permission-table.ts';
import { postRegistration, validRegistrationFields } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

describe('the permission policy', () => {
  it('has exactly the roles and permissions of the table: a new one needs a decision there', () => {
    expect([...roles].sort()).toEqual([...tableRoles].sort());
    expect(Object.keys(policy).sort()).toEqual(Object.keys(permissionTable).sort());
  });

  for (const permission of Object.keys(permissionTable)) {
    it(`gives ${permission} to exactly the roles of the table`, () => {
      for (const role of tableRoles) {
        expect(allows([role], permission as Permission), `${role} ${permission}`).toBe(
          tableAllows([role], permission),
        );
      }
    });
  }

  it('adds up the roles an operator holds, and gives nothing without a role', () => {
    for (const permission of Object.keys(permissionTable) as Permission[]) {
      expect(allows([], permission)).toBe(false);
      for (const first of tableRoles) {
        for (const second of tableRoles) {
          expect(allows([first, second], permission), `${first}+${second} ${permission}`).toBe(
            tableAllows([first, second], permission),
          );
        }
      }
    }
    expect(permissionsOf(['mediator']).sort()).toEqual(
      ['dashboard.view', 'normalizations.mediate'].sort(),
    );
    expect(permissionsOf(['admin', 'registrar']).sort()).toEqual(
      [
        'audit.read',
        'dashboard.view',
        'operators.manage',
        'partners.manage',
        'registrations.review',
      ].sort(),
    );
  });

  it('opens a file only for the review of what it belongs to', () => {
    expect(permissionForFiles).toEqual({
      report: 'reports.review',
      registration: 'registrations.review',
      normalization: 'normalizations.mediate',
    });
  });
});

for (const dialect of dialects) {
  describeOn(dialect)(`a seller registration in the back office on ${dialect}`, () => {
    const clock = new ManualClock('2026-03-01T05:00:00Z');
    let runtime: TestRuntime;
    const clients = new Map<string, AdminClient>();
    let registrationId: number;
    let idCardPhoto: string;
    const nik = validRegistrationFields.nik;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
      for (const role of tableRoles) {
        await createOperator(runtime, `${role}@cekrek.test`, [role]);
        clients.set(role, (await signedIn(runtime, clock, `${role}@cekrek.test`)).client);
      }
      const filed = await postRegistration(runtime);
      expect(filed.statusCode, filed.body).toBe(201);
      const row = await runtime.database.db
        .selectFrom('seller_registrations')
        .select('id')
        .where('ticket', '=', filed.json<{ ticket: string }>().ticket)
        .executeTakeFirstOrThrow();
      registrationId = Number(row.id);
      const file = await runtime.database.db
        .selectFrom('files')
        .select('id')
        .where('owner_kind', '=', 'registration')
        .where('owner_id', '=', registrationId)
        .where('field', '=', 'idCardPhoto')
        .executeTakeFirstOrThrow();
      idCardPhoto = file.id;
    });
    afterAll(async () => {
      await runtime?.close();
    });

    /** The registrar's addresses in the API and in the pages, each with what it reveals. */
    const registrarRequests = (): [method: 'GET' | 'POST', url: string][] => [
      ['GET', '/api/v1/admin/registrations'],
      ['GET', `/api/v1/admin/registrations/${registrationId}`],
      ['POST', `/api/v1/admin/registrations/${registrationId}/nik`],
      ['GET', `/api/v1/admin/files/${idCardPhoto}`],
      ['GET', '/admin/pendaftaran'],
      ['GET', `/admin/pendaftaran/${registrationId}`],
      ['POST', `/admin/pendaftaran/${registrationId}/nik`],
      ['GET', `/admin/berkas/${idCardPhoto}`],
    ];

    function refused(response: LightMyRequestResponse, url: string): boolean {
      if (response.statusCode !== 403) return false;
      return url.startsWith('/api/')
        ? response.json<{ code: string }>().code === 'forbidden'
        : response.body.includes('<h1>Tidak diizinkan</h1>');
    }

    it('is open to the registrar, who sees the masked NIK and the ID photo', async () => {
      const registrar = clients.get('registrar')!;
      for (const [method, url] of registrarRequests()) {
        const response = await registrar.request(method, url, method === 'POST' ? {} : undefined);
        expect(response.statusCode, `${method} ${url}: ${response.body.slice(0, 200)}`).toBe(200);
      }
      const detail = await registrar.request(
        'GET',
        `/api/v1/admin/registrations/${registrationId}`,
      );
      expect(detail.json()).toMatchObject({ nik: { masked: '3201********0001' } });
    });

    it('is refused to a mediator, an admin and a reviewer, in the API and in the pages', async () => {
      for (const role of tableRoles) {
        if (tableAllows([role], 'registrations.review')) continue;
        const client = clients.get(role)!;
        for (const [method, url] of registrarRequests()) {
          const response = await client.request(method, url, method === 'POST' ? {} : undefined);
          expect(refused(response, url), `${role} ${method} ${url}: ${response.statusCode}`).toBe(
            true,
          );
          expect(response.body).not.toContain(nik);
          expect(response.body).not.toContain('3201********0001');
          expect(response.body).not.toContain(validRegistrationFields.holderName);
        }
      }
      const denied = await runtime.services.audit.list({
        action: 'access.denied',
        limit: 200,
      });
      const mediator = (await runtime.services.operators.list()).find(
        (o) => o.email === 'mediator@cekrek.test',
      )!;
      expect(denied.filter((e) => e.actorId === mediator.id).length).toBeGreaterThanOrEqual(
        registrarRequests().length,
      );
    });

    it('is not offered to a mediator: the back office links to no registration', async () => {
      const dashboard = await clients.get('mediator')!.request('GET', '/admin');
      expect(dashboard.statusCode).toBe(200);
      expect(dashboard.body).not.toContain('href="/admin/pendaftaran');
      expect(dashboard.body).toContain('href="/admin/normalisasi');
    });
  });
}
