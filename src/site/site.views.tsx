// The site's own pages as they look: about cekrek (each service it describes
// links to its form), and how to reach the organization that runs it.
import { t, type MessageKey } from '../shared/messages.ts';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { InfoIcon } from '../http/icons.tsx';

export interface Contact {
  readonly phones: readonly string[];
  readonly email: string;
}

interface AboutSection {
  readonly title: MessageKey;
  readonly text: MessageKey;
  /** The form the section describes, so that reading about it is one tap from using it. */
  readonly form?: { readonly path: string; readonly link: MessageKey };
}

const aboutSections: readonly AboutSection[] = [
  {
    title: 'about.check.title',
    text: 'about.check.text',
    form: { path: '/', link: 'about.check.link' },
  },
  {
    title: 'about.report.title',
    text: 'about.report.text',
    form: { path: '/lapor', link: 'about.report.link' },
  },
  {
    title: 'about.normalization.title',
    text: 'about.normalization.text',
    form: { path: '/normalisasi', link: 'about.normalization.link' },
  },
  {
    title: 'about.seller.title',
    text: 'about.seller.text',
    form: { path: '/daftar-penjual', link: 'about.seller.link' },
  },
  {
    title: 'about.track.title',
    text: 'about.track.text',
    form: { path: '/lacak', link: 'about.track.link' },
  },
  { title: 'about.privacy.title', text: 'about.privacy.text' },
];

function ContactList({ ctx, contact }: { ctx: PageContext; contact: Contact }) {
  const tr = translator(ctx);
  return (
    <dl class="contact-list">
      <dt>{tr('about.contact.organization')}</dt>
      <dd>{ctx.organization}</dd>
      {contact.phones.length > 0 && (
        <>
          <dt>{tr('about.contact.phone')}</dt>
          <dd>
            <ul>
              {contact.phones.map((phone) => (
                <li key={phone}>
                  <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      <dt>{tr('about.contact.email')}</dt>
      <dd>
        <a href={`mailto:${contact.email}`}>{contact.email}</a>
      </dd>
    </dl>
  );
}

function CautionNotice({ ctx }: { ctx: PageContext }) {
  return (
    <div class="notice notice-info">
      <InfoIcon />
      <div>
        <p>{t(ctx.lang, 'home.caution')}</p>
      </div>
    </div>
  );
}

export function AboutPage({ ctx, contact }: { ctx: PageContext; contact: Contact }) {
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('about.title')}</h1>
      <p class="lead">{tr('about.intro')}</p>
      {aboutSections.map(({ title, text, form }) => (
        <section key={title}>
          <h2>{tr(title)}</h2>
          <p>{tr(text)}</p>
          {form && (
            <p>
              <a class="service-link" href={href(ctx, form.path)}>
                {tr(form.link)}
              </a>
            </p>
          )}
        </section>
      ))}
      <section class="card" id="kontak" aria-labelledby="contact-title">
        <h2 id="contact-title">{tr('about.contact.title')}</h2>
        <ContactList ctx={ctx} contact={contact} />
      </section>
      <CautionNotice ctx={ctx} />
    </>
  );
}

/** /kontak: the contact details on a page of their own, for those who look for them by name. */
export function ContactPage({ ctx, contact }: { ctx: PageContext; contact: Contact }) {
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('about.contact.title')}</h1>
      <p class="lead">{tr('about.contact.lead')}</p>
      <section class="card" aria-label={tr('about.contact.title')}>
        <ContactList ctx={ctx} contact={contact} />
      </section>
      <p>
        <a href={href(ctx, '/tentang')}>{tr('about.contact.more')}</a>
      </p>
      <CautionNotice ctx={ctx} />
    </>
  );
}
