// Banks (by their 3-digit Bank Indonesia code) and e-wallets (by slug): the
// data lives in data/providers.json so another country or a renamed bank is a
// data change, not a code change.
import providerData from './data/providers.json' with { type: 'json' };
import registerData from './data/banks-bi.json' with { type: 'json' };

export type ProviderKind = 'bank' | 'ewallet';

export interface Provider {
  readonly code: string;
  readonly kind: ProviderKind;
  readonly name: string;
  readonly shortName: string;
  readonly aliases: readonly string[];
  readonly numberLength: { readonly min: number; readonly max: number } | null;
}

interface ProviderRecord {
  code: string;
  kind: string;
  name: string;
  shortName: string;
  aliases: string[];
  numberLength?: { min: number; max: number };
}

function toProvider(record: ProviderRecord): Provider {
  if (record.kind !== 'bank' && record.kind !== 'ewallet') {
    throw new Error(`provider ${record.code}: unknown kind ${record.kind}`);
  }
  return Object.freeze({
    code: record.code,
    kind: record.kind,
    name: record.name,
    shortName: record.shortName,
    aliases: Object.freeze([...record.aliases]),
    numberLength: record.numberLength ? Object.freeze({ ...record.numberLength }) : null,
  });
}

/**
 * Lower case, single spaces, no punctuation, without the legal-form words of
 * the register ("PT", "Tbk", "Persero") and with "Unit Usaha Syariah" as "UUS".
 */
export function simplifyName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}&]+/gu, ' ')
    .replace(/\b(pt|tbk|persero)\b/g, ' ')
    .replace(/\bunit usaha syariah\b/g, 'uus')
    .replace(/\s+/g, ' ')
    .trim();
}

export class ProviderRegistry {
  readonly all: readonly Provider[];
  readonly #byCode = new Map<string, Provider>();
  readonly #byName = new Map<string, Provider>();

  /**
   * @param records the providers
   * @param registerNames further names by code, e.g. the names of Bank
   *   Indonesia's register, where Sharia units share their parent's code
   */
  constructor(
    records: readonly ProviderRecord[],
    registerNames: readonly { code: string; name: string }[] = [],
  ) {
    this.all = Object.freeze(records.map(toProvider));
    for (const p of this.all) this.#byCode.set(p.code, p);
    for (const p of this.all) {
      for (const name of [p.shortName, p.name, ...p.aliases]) this.#indexName(name, p);
    }
    for (const { code, name } of registerNames) {
      const p = this.#byCode.get(code);
      if (p) this.#indexName(name, p);
    }
  }

  /** The first provider to claim a name keeps it; aliases are unique by test. */
  #indexName(name: string, provider: Provider): void {
    const key = simplifyName(name);
    if (key && !this.#byName.has(key)) this.#byName.set(key, provider);
  }

  byCode(code: string): Provider | undefined {
    return this.#byCode.get(code);
  }

  /**
   * Finds a provider from what a partner or a person typed: a code ("014"),
   * an alias ("bca", "jenius") or a name ("Bank Central Asia").
   */
  resolve(input: string): Provider | undefined {
    if (input.length > 100) return undefined;
    return this.#byCode.get(input) ?? this.#byName.get(simplifyName(input));
  }

  /** Like resolve, and also takes a chooser label that starts with the code ("014 · BCA"). */
  resolveLabel(input: string): Provider | undefined {
    const found = this.resolve(input.trim());
    if (found) return found;
    const leadingCode = /^\s*(\d{3})(?:\s*[·\-–—:|]\s*\S.*)?$/su.exec(input)?.[1];
    return leadingCode ? this.byCode(leadingCode) : undefined;
  }
}

interface RegisterEntry {
  code: string;
  name: string;
  name_singkat: string;
}

export const providers = new ProviderRegistry(
  providerData,
  (registerData as RegisterEntry[]).flatMap((e) => [
    { code: e.code, name: e.name },
    { code: e.code, name: e.name_singkat },
  ]),
);
