// The site's own pages: about cekrek, and how to reach the organization that runs it.
import type { FastifyPluginAsync } from 'fastify';
import { t } from '../shared/messages.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { pageContext, sendPage } from '../http/layout.tsx';
import { AboutPage, ContactPage, type Contact } from './site.views.tsx';

export interface SitePagesOptions {
  readonly contact: Contact;
}

export const sitePages: FastifyPluginAsync<SitePagesOptions> = (app, { contact }) => {
  const page = { config: { page: true }, schema: { hide: true } } as const;
  app.addHook('onRequest', rememberLanguage);
  app.get('/tentang', page, (request, reply) => {
    const ctx = pageContext(request);
    return sendPage(
      reply,
      ctx,
      { title: t(ctx.lang, 'about.title') },
      <AboutPage ctx={ctx} contact={contact} />,
    );
  });
  app.get('/kontak', page, (request, reply) => {
    const ctx = pageContext(request);
    return sendPage(
      reply,
      ctx,
      { title: t(ctx.lang, 'about.contact.title') },
      <ContactPage ctx={ctx} contact={contact} />,
    );
  });
  return Promise.resolve();
};
