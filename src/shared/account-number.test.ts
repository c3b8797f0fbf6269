import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import {
  normalizeBankNumber,
  normalizeMobileNumber,
  parseMobileNumber,
  toAccountRef,
} from './account-number.ts';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('bank account numbers', () => {
  it.each([
    ['1234567890', '1234567890'],
    ['123 456 7890', '1234567890'],
    ['123.456.7890', '1234567890'],
    ['123-456-7890', '1234567890'],
    [' 12-34.56 78 90 ', '1234567890'],
    ['1234\u00a0567890', '1234567890'],
    ['0000000001', '0000000001'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeBankNumber(input)).toEqual({ number: expected });
  });

  it.each([
    ['', 'empty'],
    [' - . ', 'empty'],
    ['1234', 'too_short'],
    ['123456789012345678901', 'too_long'],
    ['1'.repeat(65), 'too_long'],
    ['12345abc', 'not_digits'],
    ['١٢٣٤٥٦٧٨٩٠', 'not_digits'],
    ['１２３４５６７８９０', 'not_digits'],
    ['../../etc/passwd', 'not_digits'],
    ["1234567890' OR 1=1 --", 'not_digits'],
    ['<script>1</script>', 'not_digits'],
    ['+621234567', 'not_digits'],
  ])('%j is refused as %s', (input, problem) => {
    expect(normalizeBankNumber(input)).toEqual({ problem });
  });

  it('accepts 5 and 20 digits, the bounds', () => {
    expect(normalizeBankNumber('12345')).toEqual({ number: '12345' });
    expect(normalizeBankNumber('1'.repeat(20))).toEqual({ number: '1'.repeat(20) });
  });
});

describe('e-wallet phone numbers', () => {
  it.each([
    '081234567890',
    '0812-3456-7890',
    '0812 3456 7890',
    '+62 812 3456 7890',
    '+62-812-3456-7890',
    '+6281234567890',
    '6281234567890',
    '62 812-3456-7890',
    '812-3456-7890',
    '(0812) 3456 7890',
    '0812.3456.7890',
  ])('%j is 6281234567890', (input) => {
    expect(normalizeMobileNumber(input)).toEqual({ number: '6281234567890' });
  });

  it.each([
    ['', 'empty'],
    ['0812abc', 'not_digits'],
    ['+1 415 555 0100', 'not_mobile'],
    ['021-5555-1234', 'not_mobile'],
    ['0812', 'not_mobile'],
    ['08123456789012345', 'not_mobile'],
    ['١٢٣٤٥٦٧٨٩٠', 'not_digits'],
  ])('%j is refused as %s', (input, problem) => {
    expect(normalizeMobileNumber(input)).toEqual({ problem });
  });
});

describe('accounts', () => {
  it('resolves providers by code, alias and name', () => {
    expect(toAccountRef('014', '1234567890').key).toBe('014:1234567890');
    expect(toAccountRef('bca', '1234567890').key).toBe('014:1234567890');
    expect(toAccountRef('BCA', '1234567890').key).toBe('014:1234567890');
    expect(toAccountRef('Bank Central Asia', '123-456-7890').key).toBe('014:1234567890');
    expect(toAccountRef('mandiri', '1234567890123').key).toBe('008:1234567890123');
    expect(toAccountRef('OVO', '0812-3456-7890').key).toBe('ovo:6281234567890');
    expect(toAccountRef('gopay', '+62 812 3456 7890').key).toBe('gopay:6281234567890');
  });

  it('finds digital banks by their brand', () => {
    for (const [brand, code] of [
      ['blu', '501'],
      ['jago', '542'],
      ['seabank', '535'],
      ['jenius', '213'],
      ['neo', '490'],
      ['allo', '567'],
    ]) {
      expect(toAccountRef(brand!, '123456789012').provider.code).toBe(code);
    }
  });

  it('flags an unusual length without refusing it', () => {
    expect(toAccountRef('014', '1234567890').unusualLength).toBe(false);
    const odd = toAccountRef('014', '123456789012');
    expect(odd.unusualLength).toBe(true);
    expect(odd.number).toBe('123456789012');
    expect(toAccountRef('ovo', '081234567890').unusualLength).toBe(false);
  });

  it('names the unknown provider', () => {
    for (const provider of ['999', 'nosuchbank', '', '../014', 'x'.repeat(500), "014' OR '1"]) {
      const error = errorOf(() => toAccountRef(provider, '1234567890'));
      expect(error.code).toBe('invalid_provider');
      expect(error.errors[0]?.field).toBe('provider');
    }
  });

  it('names the bad number', () => {
    const error = errorOf(() => toAccountRef('014', '12'));
    expect(error.code).toBe('invalid_account_number');
    expect(error.errors).toEqual([{ field: 'number', reason: 'number.too_short' }]);
    expect(errorOf(() => toAccountRef('ovo', '021-555-1234')).code).toBe('invalid_account_number');
  });
});

describe('the quick reading of mobile numbers', () => {
  it('gives exactly what the full libphonenumber parse gives, for every common written form', () => {
    let state = 7;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const digits = (n: number) =>
      Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
    const prefixes = ['', '0', '62', '+62', '+620', '062', '6208'];
    let validOnes = 0;
    for (let i = 0; i < 20_000; i++) {
      const national = `${random() < 0.8 ? '8' : String(Math.floor(random() * 10))}${digits(4 + Math.floor(random() * 12))}`;
      const compact = `${prefixes[i % prefixes.length]!}${national}`;
      const quick = normalizeMobileNumber(compact);
      expect(quick, compact).toEqual(parseMobileNumber(compact));
      if ('number' in quick) validOnes++;
    }
    expect(validOnes).toBeGreaterThan(2_000);
  });
});
