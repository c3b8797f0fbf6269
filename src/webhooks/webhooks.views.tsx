// The back office's view of a partner's webhooks, on the partner's page:
// each endpoint (URL, events, state and why it was disabled) and its last
// deliveries with every attempt, and a button that sends one again.
import type { ComponentChildren } from 'preact';
import { Time } from '../backoffice/time.tsx';
import { href, translator } from '../http/layout.tsx';
import { CsrfField, type BackOfficeContext } from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';
import type { Delivery, Endpoint } from './webhooks.service.ts';

const partnerPath = (id: number) => `${adminPaths.partners}/${id}`;

function TableScroll({ children }: { children: ComponentChildren }) {
  return (
    <div class="table-scroll" tabIndex={0}>
      {children}
    </div>
  );
}

export function WebhooksSection({
  ctx,
  partnerId,
  webhooks,
}: {
  ctx: BackOfficeContext;
  partnerId: number;
  webhooks: readonly { endpoint: Endpoint; deliveries: readonly Delivery[] }[];
}) {
  const tr = translator(ctx);
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{tr('admin.partners.webhooks')}</h2>
      {webhooks.length === 0 ? (
        <p>{tr('admin.partners.webhooks.none')}</p>
      ) : (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">{tr('admin.partners.webhooks.url')}</th>
                <th scope="col">{tr('admin.partners.webhooks.events')}</th>
                <th scope="col">{tr('admin.partners.webhooks.state')}</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map(({ endpoint }) => (
                <tr key={endpoint.id}>
                  <td>
                    <code>{endpoint.id}</code> {endpoint.url}
                  </td>
                  <td>{endpoint.events.join(', ')}</td>
                  <td>
                    {endpoint.state === 'enabled'
                      ? tr('admin.partners.webhooks.enabled')
                      : tr('admin.partners.webhooks.disabled')}
                    {endpoint.disabledReason &&
                      ` (${tr(`admin.partners.webhooks.reason.${endpoint.disabledReason}`)})`}
                    {endpoint.failingSince && !endpoint.disabledAt && (
                      <>
                        {' '}
                        {tr('admin.partners.webhooks.failingSince')}{' '}
                        <Time ctx={ctx} date={endpoint.failingSince} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {webhooks.map(({ endpoint, deliveries }) => (
        <WebhookDeliveries
          key={endpoint.id}
          ctx={ctx}
          partnerId={partnerId}
          endpoint={endpoint}
          deliveries={deliveries}
        />
      ))}
    </section>
  );
}

function WebhookDeliveries({
  ctx,
  partnerId,
  endpoint,
  deliveries,
}: {
  ctx: BackOfficeContext;
  partnerId: number;
  endpoint: Endpoint;
  deliveries: readonly Delivery[];
}) {
  const tr = translator(ctx);
  const base = `${partnerPath(partnerId)}/webhook/${endpoint.id}/pengiriman`;
  return (
    <>
      <h3>{tr('admin.partners.webhooks.deliveries', { id: endpoint.id })}</h3>
      {deliveries.length === 0 ? (
        <p>{tr('admin.partners.webhooks.deliveries.none')}</p>
      ) : (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">{tr('admin.partners.webhooks.delivery')}</th>
                <th scope="col">{tr('admin.partners.webhooks.event')}</th>
                <th scope="col">{tr('admin.partners.webhooks.deliveryState')}</th>
                <th scope="col">{tr('admin.partners.webhooks.attempts')}</th>
                <th scope="col">{tr('admin.partners.key.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code>{d.id}</code>
                  </td>
                  <td>{d.eventType}</td>
                  <td>{tr(`admin.partners.webhooks.state.${d.state}`)}</td>
                  <td>
                    <ol>
                      {d.attempts.map((a, n) => (
                        <li key={n}>
                          <Time ctx={ctx} date={a.at} />
                          {': '}
                          {a.statusCode ?? tr('admin.partners.webhooks.noStatus')}
                          {a.error && ` (${a.error})`}, {a.latencyMs} ms
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td>
                    {endpoint.state === 'enabled' && (
                      <form method="post" action={href(ctx, `${base}/${d.id}/ulang`)}>
                        <CsrfField ctx={ctx} />
                        <button type="submit" class="button button-secondary">
                          {tr('admin.partners.webhooks.retry')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
