// The public check: the home page with its form, /cek (the form's target),
// and the result page /rekening/{provider}/{number}. The result comes from the
// same check service, under the same rate limit, as the API.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { toAccountRef, type AccountRef } from '../shared/account-number.ts';
import { t } from '../shared/messages.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { safeString } from '../shared/text-input.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { href, pageContext, publicOrigin, sendPage, type PageContext } from '../http/layout.tsx';
import { asUnavailable, retryAfterSeconds } from '../http/outage.ts';
import { limitedBy } from '../http/replies.ts';
import {
  checkFormFields,
  emptyCheckForm,
  readCheckForm,
  resolveCheckForm,
  resultPath,
  valuesFromPath,
  type CheckFormError,
  type CheckFormValues,
} from './accounts.form.ts';
import {
  ResultPage,
  resultTitle,
  UnavailablePage,
  unavailableTitle,
} from './accounts.result.views.tsx';
import { HomePage } from './accounts.views.tsx';
import type { CheckResult } from './check.ts';
import type { CheckService } from './check.service.ts';
import { demoAccounts } from './demo.ts';

const demoRefs = demoAccounts.map((d) => toAccountRef(d.provider, d.number));

/**
 * The demo accounts to suggest: only those the database really holds as demo
 * data (asked of the check service, so a production database that never had
 * demo data, or had it removed, suggests nothing).
 */
async function demoExamples(checks: CheckService): Promise<CheckResult[]> {
  // Suggestions only: the form must not fail when the check cannot answer.
  const answers = await Promise.all(
    demoRefs.map(async (ref) => {
      try {
        return (await checks.check(ref)).result;
      } catch {
        return undefined;
      }
    }),
  );
  return answers.filter((r): r is CheckResult => r?.summary.demo === true);
}

function sendUnavailable(
  reply: FastifyReply,
  ctx: PageContext,
  account: AccountRef,
  seconds: number,
): FastifyReply {
  void reply.header('retry-after', String(seconds));
  return sendPage(
    reply,
    ctx,
    { title: unavailableTitle(ctx, account), status: 503, private: true },
    <UnavailablePage
      ctx={ctx}
      account={account}
      seconds={seconds}
      retry={href(ctx, resultPath(account))}
    />,
  );
}

async function sendHome(
  checks: CheckService,
  request: FastifyRequest,
  reply: FastifyReply,
  form: { values: CheckFormValues; errors: readonly CheckFormError[] },
) {
  const ctx = pageContext(request);
  const demo = await demoExamples(checks);
  const failed = form.errors.length > 0;
  const title = failed
    ? t(ctx.lang, 'home.errors.pageTitle', { title: t(ctx.lang, 'home.title') })
    : t(ctx.lang, 'home.title');
  return sendPage(
    reply,
    ctx,
    { title, status: failed ? 400 : 200, private: failed },
    <HomePage ctx={ctx} values={form.values} errors={form.errors} demo={demo} />,
  );
}

export interface AccountPagesOptions {
  readonly checks: CheckService;
  /** Checks per client, shared with the API (undefined when off). */
  readonly checkLimiter: RateLimiter | undefined;
}

export const accountPages: FastifyPluginAsync<AccountPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { checks } = options;
  // Pages answer errors as HTML (see wantsHtml) and stay out of the API document.
  const page = { config: { page: true }, schema: { hide: true } } as const;
  const limited = { onRequest: limitedBy(options.checkLimiter) };
  app.addHook('onRequest', rememberLanguage);

  app.get('/', page, (request, reply) =>
    sendHome(checks, request, reply, { values: emptyCheckForm, errors: [] }),
  );

  // Not limited: it only redirects, and the result page it leads to counts the check.
  app.get('/cek', page, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const ctx = pageContext(request);
    // Opened without the form (a bookmark, a typed address): just show the form.
    if (!checkFormFields.some((field) => field in query))
      return reply.redirect(href(ctx, '/'), 303);
    const values = readCheckForm(query);
    const outcome = resolveCheckForm(values);
    if ('errors' in outcome)
      return sendHome(checks, request, reply, { values, errors: outcome.errors });
    return reply.redirect(href(ctx, resultPath(outcome.account)), 303);
  });

  app.get(
    '/rekening/:provider/:number',
    {
      ...page,
      ...limited,
      schema: { hide: true, params: z.object({ provider: safeString(), number: safeString() }) },
    },
    async (request, reply) => {
      const { provider, number } = request.params;
      const values = valuesFromPath(provider, number);
      const outcome = resolveCheckForm(values);
      if ('errors' in outcome)
        return sendHome(checks, request, reply, { values, errors: outcome.errors });
      const { account } = outcome;
      const ctx = pageContext(request);
      // One URL per account (aliases, spaces, dashes, 0812… all lead to it).
      if (provider !== account.provider.code || number !== account.number) {
        return reply.redirect(href(ctx, resultPath(account)), 308);
      }
      let result: CheckResult;
      checks.count(account, request.ip);
      try {
        ({ result } = await checks.check(account));
      } catch (error) {
        const unavailable = asUnavailable(error);
        if (!unavailable) throw error;
        request.server.outages.note(unavailable);
        return sendUnavailable(reply, ctx, account, retryAfterSeconds(unavailable));
      }
      return sendPage(
        reply,
        ctx,
        { title: resultTitle(ctx, result), private: true },
        <ResultPage
          ctx={ctx}
          result={result}
          checkedBy={checks.checkedBy(account)}
          shareUrl={new URL(resultPath(account), publicOrigin(request)).toString()}
        />,
      );
    },
  );
  return Promise.resolve();
};
