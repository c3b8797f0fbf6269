// The operators' early warning on the dashboard: accounts without a verified
// report that many distinct clients checked in the last 24 hours, fastest
// rising first, each with its reports waiting for review (linked for those
// who may review them).
import { href, translator } from '../http/layout.tsx';
import { may, type BackOfficeContext } from '../backoffice/layout.tsx';
import { reportPath } from '../backoffice/paths.ts';
import { providers } from '../shared/providers.ts';
import type { EarlyWarning, EarlyWarnings } from './check-counts.ts';

function accountLabel(warning: EarlyWarning): string {
  const provider = providers.resolve(warning.provider);
  return `${provider?.shortName ?? warning.provider} ${warning.number}`;
}

function PendingReports({ ctx, warning }: { ctx: BackOfficeContext; warning: EarlyWarning }) {
  const tr = translator(ctx);
  if (warning.pendingReports.length === 0) return <>{tr('admin.earlyWarning.pendingNone')}</>;
  const linked = may(ctx, 'reports.review');
  return (
    <ul>
      {warning.pendingReports.map((report) => (
        <li key={report.id}>
          {linked ? (
            <a href={href(ctx, reportPath(report.id))}>
              {tr('admin.earlyWarning.report', { id: report.id })}
            </a>
          ) : (
            tr('admin.earlyWarning.report', { id: report.id })
          )}
        </li>
      ))}
    </ul>
  );
}

export function EarlyWarningSection({
  ctx,
  warnings,
}: {
  ctx: BackOfficeContext;
  warnings: EarlyWarnings;
}) {
  const tr = translator(ctx);
  const min = warnings.minClients;
  return (
    <section aria-labelledby="early-warning-title" id="early-warning">
      <h2 id="early-warning-title">{tr('admin.earlyWarning.title')}</h2>
      <p>{tr('admin.earlyWarning.lead', { min })}</p>
      {warnings.accounts.length === 0 ? (
        <p>{tr('admin.earlyWarning.none', { min })}</p>
      ) : (
        <div
          class="table-scroll"
          role="region"
          aria-labelledby="early-warning-caption"
          tabIndex={0}
        >
          <table class="figures-table" id="early-warning-table">
            <caption id="early-warning-caption">{tr('admin.earlyWarning.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('admin.earlyWarning.account')}</th>
                <th scope="col">{tr('admin.earlyWarning.recent')}</th>
                <th scope="col">{tr('admin.earlyWarning.previous')}</th>
                <th scope="col">{tr('admin.earlyWarning.pending')}</th>
              </tr>
            </thead>
            <tbody>
              {warnings.accounts.map((warning) => (
                <tr key={warning.key} data-account={warning.key}>
                  <th scope="row">{accountLabel(warning)}</th>
                  <td>{warning.recent}</td>
                  <td>{warning.previous}</td>
                  <td>
                    <PendingReports ctx={ctx} warning={warning} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
