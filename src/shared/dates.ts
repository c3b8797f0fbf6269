// Dates as people read them, in Western Indonesian Time: the reports are about
// Indonesian accounts, and a date must not shift with the reader's server.
import type { Lang } from './i18n.ts';

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', { dateStyle: 'long', timeZone: 'Asia/Jakarta' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Asia/Jakarta' }),
};

/** "12 Januari 2026" / "12 January 2026". */
export function formatDate(lang: Lang, date: Date): string {
  return dateFormats[lang].format(date);
}
