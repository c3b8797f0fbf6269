// The site's own pages as they look: about cekrek, and how to reach the
// organization that runs it.
import { t } from '../shared/messages.ts';
import { translator, type PageContext } from '../http/layout.tsx';
import { InfoIcon } from '../http/icons.tsx';

export function AboutPage({
  ctx,
  phones,
  email,
}: {
  ctx: PageContext;
  phones: readonly string[];
  email: string;
}) {
  const tr = translator(ctx);
  const sections = [
    ['about.check.title', 'about.check.text'],
    ['about.report.title', 'about.report.text'],
    ['about.normalization.title', 'about.normalization.text'],
    ['about.seller.title', 'about.seller.text'],
    ['about.privacy.title', 'about.privacy.text'],
  ] as const;
  return (
    <>
      <h1>{tr('about.title')}</h1>
      <p class="lead">{tr('about.intro')}</p>
      {sections.map(([title, text]) => (
        <section key={title}>
          <h2>{tr(title)}</h2>
          <p>{tr(text)}</p>
        </section>
      ))}
      <section class="card" id="kontak" aria-labelledby="contact-title">
        <h2 id="contact-title">{tr('about.contact.title')}</h2>
        <dl class="contact-list">
          <dt>{tr('about.contact.organization')}</dt>
          <dd>{ctx.organization}</dd>
          {phones.length > 0 && (
            <>
              <dt>{tr('about.contact.phone')}</dt>
              <dd>
                <ul>
                  {phones.map((phone) => (
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
            <a href={`mailto:${email}`}>{email}</a>
          </dd>
        </dl>
      </section>
      <div class="notice notice-info">
        <InfoIcon />
        <div>
          <p>{t(ctx.lang, 'home.caution')}</p>
        </div>
      </div>
    </>
  );
}
