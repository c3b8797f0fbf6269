// The service-desk entry: the public request form, filled in by an operator
// for someone at the desk, and the receipt to hand over.
import { href, translator } from '../http/layout.tsx';
import { Notice, type BackOfficeContext } from '../backoffice/layout.tsx';
import { Breadcrumb } from '../backoffice/queue.tsx';
import {
  FormErrorSummary,
  formView,
  NormalizationForm,
  type FormState,
} from './normalizations.form.tsx';
import { ReceiptFacts } from './normalizations.pages.tsx';
import type { SubmittedNormalization } from './normalizations.service.ts';
import { mediationPaths } from './mediation.form.ts';

export function EntryPage(props: { ctx: BackOfficeContext; state: FormState; maxFileMb: number }) {
  const { ctx, state } = props;
  const tr = translator(ctx);
  // The form is multipart: its body is read after the access check, so the
  // CSRF token travels in the address (copied into the header by the route).
  const action = href(
    ctx,
    `${mediationPaths.entry}?${new URLSearchParams({ _csrf: ctx.csrf ?? '' }).toString()}`,
  );
  return (
    <>
      <Breadcrumb ctx={ctx} path={mediationPaths.queue} text={tr('mediation.queue.title')} />
      <h1>{tr('mediation.entry.title')}</h1>
      <p class="lead">{tr('mediation.entry.lead')}</p>
      <FormErrorSummary ctx={ctx} state={state} />
      <NormalizationForm
        form={formView(ctx, state)}
        action={action}
        maxFileMb={props.maxFileMb}
        challenge={false}
        serviceDesk
      />
    </>
  );
}

export function EntryReceipt(props: { ctx: BackOfficeContext; submitted: SubmittedNormalization }) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('mediation.entry.done')}</h1>
      <Notice>{tr('mediation.entry.handOver')}</Notice>
      <ReceiptFacts ctx={ctx} submitted={submitted} />
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, mediationPaths.queue)}>
          {tr('mediation.queue.title')}
        </a>
      </p>
    </>
  );
}
