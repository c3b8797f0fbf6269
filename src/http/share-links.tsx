// Passing a page on: plain links to WhatsApp and Telegram that work without
// JavaScript, and the address to copy (a copy button with copy.js). What is
// shared is the page's public address and a neutral sentence, never what the
// visitor typed or anything about a person.
import type { Lang } from '../shared/i18n.ts';
import { t } from '../shared/messages.ts';
import { CopyField, CopyScript } from './receipt.tsx';

/** WhatsApp's share link: the app (or WhatsApp Web) opens with the text, a chat to choose. */
export function whatsAppShareUrl(sentence: string, url: string): string {
  return `https://wa.me/?${new URLSearchParams({ text: `${sentence} ${url}` }).toString()}`;
}

/** Telegram's share link: the address and the sentence that goes with it. */
export function telegramShareUrl(sentence: string, url: string): string {
  return `https://t.me/share/url?${new URLSearchParams({ url, text: sentence }).toString()}`;
}

export interface ShareLinksProps {
  readonly lang: Lang;
  /** The page's address on the public origin, with nothing personal in it. */
  readonly url: string;
  /** What goes with it: one neutral sentence. */
  readonly sentence: string;
}

export function ShareLinks({ lang, url, sentence }: ShareLinksProps) {
  // Another site: the page's address is in the text already, the referrer adds nothing.
  const away = { rel: 'noopener noreferrer', target: '_blank' } as const;
  return (
    <section class="card share" aria-labelledby="share-title">
      <h2 id="share-title">{t(lang, 'share.title')}</h2>
      <p class="hint">{t(lang, 'share.hint')}</p>
      <p class="share-links">
        <a class="button button-secondary" href={whatsAppShareUrl(sentence, url)} {...away}>
          {t(lang, 'share.whatsapp')}
        </a>
        <a class="button button-secondary" href={telegramShareUrl(sentence, url)} {...away}>
          {t(lang, 'share.telegram')}
        </a>
      </p>
      <p>
        <CopyField
          lang={lang}
          id="share-url"
          label={t(lang, 'share.url')}
          value={url}
          copy={t(lang, 'trackingCode.copyLink')}
        />
      </p>
      <CopyScript />
    </section>
  );
}
