// Languages of the public site and API messages. Indonesian is the default;
// English is chosen by `?lang=en`, the `lang` cookie, or Accept-Language.
export const languages = ['id', 'en'] as const;
export type Lang = (typeof languages)[number];
export const defaultLang: Lang = 'id';

export function isLang(value: unknown): value is Lang {
  return value === 'id' || value === 'en';
}

/**
 * Picks the best supported language from an Accept-Language header
 * (RFC 9110 §12.5.4: quality values, then order). Unknown → Indonesian.
 */
export function negotiateLanguage(header: string | undefined): Lang {
  if (!header) return defaultLang;
  let best: Lang = defaultLang;
  let bestQ = 0;
  for (const part of header.slice(0, 500).split(',')) {
    const [range = '', ...params] = part.trim().split(';');
    const base = range.trim().toLowerCase().split('-')[0];
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= bestQ) continue;
    if (base === 'id' || base === 'in') {
      best = 'id';
      bestQ = q;
    } else if (base === 'en') {
      best = 'en';
      bestQ = q;
    }
  }
  return best;
}

/** Replaces `{name}` placeholders with values. */
export function format(template: string, params: Readonly<Record<string, string | number>> = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
