// The page that shows a one-time password: after an admin creates an
// operator or resets a password, or, when a second admin must approve such
// changes, to the approver.
import { href, translator } from '../http/layout.tsx';
import { WarningIcon } from '../http/icons.tsx';
import type { BackOfficeContext } from '../backoffice/layout.tsx';
import { operatorPath } from '../backoffice/paths.ts';
import type { Operator } from './operators.service.ts';

/** Shown once, in this answer only: nothing stores the one-time password in readable form. */
export function OneTimePasswordPage({
  ctx,
  operator,
  password,
  heading,
}: {
  ctx: BackOfficeContext;
  operator: Operator;
  password: string;
  heading: string;
}) {
  const tr = translator(ctx);
  return (
    <div class="narrow">
      <h1>{heading}</h1>
      <section class="card otp-card" aria-labelledby="otp-title">
        <h2 id="otp-title">{tr('admin.otp.title', { email: operator.email })}</h2>
        <p class="otp" id="one-time-password">
          <code>{password}</code>
        </p>
        <div class="notice notice-caution">
          <WarningIcon />
          <div>
            <p>{tr('admin.otp.once')}</p>
            <p>{tr('admin.otp.next')}</p>
          </div>
        </div>
      </section>
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, operatorPath(operator.id))}>
          {tr('admin.otp.toOperator')}
        </a>
      </p>
    </div>
  );
}
