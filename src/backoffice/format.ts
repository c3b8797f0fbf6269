// Amounts as the back office shows them.
import type { Lang } from '../shared/i18n.ts';

/** Whole rupiah: reported losses carry no cents. */
export const rupiahOptions = {
  style: 'currency',
  currency: 'IDR',
  maximumFractionDigits: 0,
} as const satisfies Intl.NumberFormatOptions;

const rupiahFormats: Record<Lang, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID', rupiahOptions),
  en: new Intl.NumberFormat('en-GB', { ...rupiahOptions, currencyDisplay: 'narrowSymbol' }),
};

/** "Rp 1.500.000" / "Rp 1,500,000". */
export function formatRupiah(lang: Lang, amount: number): string {
  return rupiahFormats[lang].format(amount);
}
