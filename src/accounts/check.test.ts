import { describe, expect, it } from 'vitest';
import { maskName } from './check.ts';

describe('maskName', () => {
  it('masks each word after its first letter', () => {
    expect(maskName(' Budi  Santoso ')).toBe('B*** S******');
  });

  it('shows no invisible character first, from a name stored before the input rules', () => {
    expect(maskName('\u202EBudi \u200BSantoso')).toBe('B*** S******');
  });
});
