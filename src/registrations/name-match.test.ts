import { describe, expect, it } from 'vitest';
import { editDistance, matchName, nameTokens } from './name-match.ts';

describe('nameTokens', () => {
  it('drops titles and honorifics, punctuation, accents and case', () => {
    expect(nameTokens('Bpk. BUDI  Santoso, S.E.')).toEqual(['budi', 'santoso']);
    expect(nameTokens('Hj. Siti Aminah, S.Kom')).toEqual(['siti', 'aminah']);
    expect(nameTokens('Dr.Ir. Joko Widodo, M.Kom.')).toEqual(['joko', 'widodo']);
    expect(nameTokens('Sdri. Rina Agustina A.Md.')).toEqual(['rina', 'agustina']);
    expect(nameTokens('H. Ahmad Dahlan')).toEqual(['ahmad', 'dahlan']);
    expect(nameTokens('Pak Budi')).toEqual(['budi']);
    expect(nameTokens('Andrés Müller')).toEqual(['andres', 'muller']);
  });

  it('keeps what only looks like a title when it is written as a name', () => {
    // "H" without a dot may be an initial; "Mas" alone is a name.
    expect(nameTokens('H Santoso')).toEqual(['h', 'santoso']);
    expect(nameTokens('Mas')).toEqual(['mas']);
    expect(nameTokens("Ma'ruf Amin")).toEqual(['maruf', 'amin']);
  });
});

describe('matchName', () => {
  const holder = 'Budi Santoso';

  it('matches whatever the case and the spacing', () => {
    expect(matchName(holder, 'budi santoso')).toBe('match');
    expect(matchName(holder, 'BUDI SANTOSO')).toBe('match');
    expect(matchName(holder, '  Budi    Santoso ')).toBe('match');
    expect(matchName(holder, 'Santoso Budi')).toBe('match');
  });

  it('matches through titles and honorifics', () => {
    expect(matchName(holder, 'Bpk. Budi Santoso, S.E.')).toBe('match');
    expect(matchName(holder, 'Bapak Budi Santoso')).toBe('match');
    expect(matchName('Hj. Siti Aminah', 'Ibu Siti Aminah S.Kom')).toBe('match');
    expect(matchName('Dr. Ir. Joko Widodo', 'joko widodo')).toBe('match');
  });

  it('calls a name with one word missing a close match', () => {
    expect(matchName(holder, 'Budi')).toBe('close_match');
    expect(matchName(holder, 'Santoso')).toBe('close_match');
    expect(matchName(holder, 'Budi Santoso Wibowo')).toBe('close_match');
    expect(matchName('Siti Nur Aminah', 'Siti Aminah')).toBe('close_match');
  });

  it('calls a typo, an initial, a joined name or another spelling a close match', () => {
    expect(matchName(holder, 'Budi Santosa')).toBe('close_match');
    expect(matchName(holder, 'B. Santoso')).toBe('close_match');
    expect(matchName(holder, 'BudiSantoso')).toBe('close_match');
    expect(matchName('Abdurrahman Wahid', 'Abdur Rahman Wahid')).toBe('close_match');
    expect(matchName('Muhammad Rizki', 'Moh. Rizki')).toBe('close_match');
  });

  it('says no match for another person, and for initials alone', () => {
    expect(matchName(holder, 'Andi Wijaya')).toBe('no_match');
    expect(matchName(holder, 'Budi Wijaya')).toBe('no_match');
    expect(matchName(holder, 'B. S.')).toBe('no_match');
    expect(matchName(holder, 'Bud')).toBe('no_match');
  });

  it('refuses a given name that is only titles', () => {
    expect(() => matchName(holder, 'Bpk. S.E.')).toThrow();
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('santoso', 'santosa')).toBe(1);
    expect(editDistance('budi', 'budi')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
