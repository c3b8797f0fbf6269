// A verified seller in tests: registered through the API, approved by a
// registrar, with the ticket and tracking code that fetch its proof.
import type { Runtime } from '../../src/main.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { createOperator, signedIn } from './operators.ts';
import { postRegistration, validRegistrationFields } from './registrations.ts';

export interface ApprovedSeller {
  readonly ticket: string;
  readonly token: string;
  /** The signed seller page's path and query, as the proof's API gives it. */
  readonly sellerPath: string;
  readonly provider: string;
  readonly number: string;
}

export async function approvedSeller(
  runtime: Runtime,
  clock: Clock & { advance(ms: number): void },
  registrar = 'registrar@cekrek.test',
): Promise<ApprovedSeller> {
  const filed = await postRegistration(runtime);
  if (filed.statusCode !== 201) throw new Error(`registration refused: ${filed.body}`);
  const { ticket, trackingToken: token } = filed.json<{ ticket: string; trackingToken: string }>();
  await createOperator(runtime, registrar, ['registrar']);
  const { client } = await signedIn(runtime, clock, registrar);
  const queue = await client.request('GET', '/api/v1/admin/registrations');
  const id = queue.json<{ registrations: { id: number }[] }>().registrations[0]!.id;
  const decided = await client.request('POST', `/api/v1/admin/registrations/${id}/decision`, {
    decision: 'approve',
    reason: 'documents_match',
  });
  if (decided.statusCode !== 200) throw new Error(`approval refused: ${decided.body}`);
  const links = await runtime.app.inject({
    url: `/api/v1/registrations/${ticket}/links`,
    headers: { 'x-tracking-token': token },
  });
  const page = new URL(links.json<{ sellerPage: string }>().sellerPage);
  return {
    ticket,
    token,
    sellerPath: page.pathname + page.search,
    provider: validRegistrationFields.provider,
    number: validRegistrationFields.number,
  };
}
