// The site's own pages: about cekrek and how to reach the organization that runs it.
import type { FastifyPluginAsync } from 'fastify';
import { t } from '../shared/messages.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { pageContext, sendPage } from '../http/layout.tsx';
import { AboutPage } from './site.views.tsx';

export interface SitePagesOptions {
  readonly contact: { readonly phones: readonly string[]; readonly email: string };
}

export const sitePages: FastifyPluginAsync<SitePagesOptions> = (app, { contact }) => {
  app.addHook('onRequest', rememberLanguage);
  app.get('/tentang', { config: { page: true }, schema: { hide: true } }, (request, reply) => {
    const ctx = pageContext(request);
    return sendPage(
      reply,
      ctx,
      { title: t(ctx.lang, 'about.title') },
      <AboutPage ctx={ctx} phones={contact.phones} email={contact.email} />,
    );
  });
  return Promise.resolve();
};
