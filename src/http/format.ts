// How pages write dates and account numbers for people.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { AccountRef } from '../shared/account-number.ts';
import type { Lang } from '../shared/i18n.ts';

// Dates and times are shown in Western Indonesian Time (shared/dates.ts).
export { formatDate } from '../shared/dates.ts';

const dateTimeFormats: Record<Lang, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Asia/Jakarta',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Asia/Jakarta',
  }),
};

/** "12 Jan 2026, 14.05.09 WIB": the back office needs the time too, to the second. */
export function formatDateTime(lang: Lang, date: Date): string {
  return `${dateTimeFormats[lang].format(date)} WIB`;
}

/** Machine-readable date for `<time datetime>`. */
export function isoDate(date: Date): string {
  return date.toISOString();
}

/**
 * Bank numbers in groups of four (easy to compare digit by digit with what
 * the seller sent); e-wallet numbers as Indonesians write phone numbers.
 */
export function formatAccountNumber(account: AccountRef): string {
  if (account.provider.kind === 'ewallet') {
    return parsePhoneNumberFromString(`+${account.number}`)?.formatNational() ?? account.number;
  }
  return account.number.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** "BCA — Bank Central Asia" or just "DANA" when both names are one. */
export function providerLongName(account: AccountRef): string {
  const { name, shortName } = account.provider;
  return name === shortName ? name : `${shortName} — ${name}`;
}
