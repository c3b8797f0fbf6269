// Report categories (the original system's list). Codes are part of the API
// contract; names are shown in the request's language.
import type { Lang } from './i18n.ts';

export const categoryCodes = [
  'online_shopping_fraud',
  'investment_fraud',
  'arisan_fraud',
  'social_engineering',
  'illegal_online_lending',
  'online_gambling',
  'narcotics',
  'extortion',
  'online_prostitution',
  'money_laundering',
  'corruption',
  'terrorism',
  'radicalism',
  'other_crime',
] as const;

export type CategoryCode = (typeof categoryCodes)[number];

const names: Record<CategoryCode, Record<Lang, string>> = {
  online_shopping_fraud: { id: 'Penipuan transaksi online', en: 'Online shopping fraud' },
  investment_fraud: { id: 'Penipuan investasi', en: 'Investment fraud' },
  arisan_fraud: { id: 'Penipuan arisan', en: 'Arisan (savings club) fraud' },
  social_engineering: {
    id: 'Penipuan berkedok hadiah, lowongan, asmara, phishing',
    en: 'Prize, job, romance or phishing scam',
  },
  illegal_online_lending: { id: 'Pinjaman online ilegal', en: 'Illegal online lending' },
  online_gambling: { id: 'Judi online', en: 'Online gambling' },
  narcotics: { id: 'Narkotika dan obat terlarang', en: 'Narcotics and illegal drugs' },
  extortion: { id: 'Pemerasan', en: 'Extortion' },
  online_prostitution: { id: 'Prostitusi online', en: 'Online prostitution' },
  money_laundering: { id: 'Pencucian uang', en: 'Money laundering' },
  corruption: { id: 'Korupsi', en: 'Corruption' },
  terrorism: { id: 'Terorisme', en: 'Terrorism' },
  radicalism: { id: 'Radikalisme', en: 'Radicalism' },
  other_crime: { id: 'Kejahatan lainnya', en: 'Other crime' },
};

/** Fraud kinds the original grouped as sub-kinds of "penipuan". */
export const fraudCategories: readonly CategoryCode[] = [
  'online_shopping_fraud',
  'investment_fraud',
  'arisan_fraud',
  'social_engineering',
];

const codeSet: ReadonlySet<string> = new Set(categoryCodes);

export function isCategoryCode(value: string): value is CategoryCode {
  return codeSet.has(value);
}

export function categoryName(code: CategoryCode, lang: Lang): string {
  return names[code][lang];
}

export function listCategories(lang: Lang): { code: CategoryCode; name: string }[] {
  return categoryCodes.map((code) => ({ code, name: names[code][lang] }));
}
