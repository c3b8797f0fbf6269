import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providers } from './providers.ts';

interface BiBank {
  code: string;
  name: string;
}

const biBanks = JSON.parse(
  readFileSync(new URL('./data/banks-bi.json', import.meta.url), 'utf8'),
) as BiBank[];

describe('providers', () => {
  it('has every bank code of Bank Indonesia', () => {
    const codes = new Set(providers.all.map((p) => p.code));
    const missing = [...new Set(biBanks.map((b) => b.code))].filter((c) => !codes.has(c));
    expect(missing).toEqual([]);
  });

  it('has the five e-wallets', () => {
    const wallets = providers.all.filter((p) => p.kind === 'ewallet').map((p) => p.code);
    expect(wallets.sort()).toEqual(['dana', 'gopay', 'linkaja', 'ovo', 'shopeepay']);
  });

  it('gives readable names, not the upper-case register', () => {
    for (const p of providers.all.filter((x) => x.kind === 'bank')) {
      expect(p.name, p.code).not.toMatch(/^[A-Z\s,.()]+$/);
      expect(p.name, p.code).not.toMatch(/\bTBK\b|PERSERO/i);
    }
    expect(providers.byCode('014')?.shortName).toBe('BCA');
  });

  it('keeps aliases unambiguous', () => {
    const seen = new Map<string, string>();
    for (const p of providers.all) {
      for (const alias of p.aliases) {
        expect(seen.get(alias), alias).toBeUndefined();
        seen.set(alias, p.code);
        expect(providers.resolve(alias)?.code, alias).toBe(p.code);
      }
    }
  });

  it('resolves a Sharia unit to its parent code', () => {
    const uus = biBanks.filter((b) => /UUS|UNIT USAHA SYARIAH/.test(b.name));
    expect(uus.length).toBeGreaterThan(5);
    for (const b of uus) expect(providers.resolve(b.name)?.code, b.name).toBe(b.code);
  });

  it('resolves a chooser label that starts with the code', () => {
    expect(providers.resolveLabel('014 · BCA')?.code).toBe('014');
    expect(providers.resolveLabel('008 - Bank Mandiri')?.code).toBe('008');
    expect(providers.resolveLabel(' 014 ')?.code).toBe('014');
    expect(providers.resolveLabel('014 OR 1=1')).toBeUndefined();
    expect(providers.resolve('014 · BCA')).toBeUndefined();
  });
});
