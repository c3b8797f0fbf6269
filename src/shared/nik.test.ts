import { describe, expect, it } from 'vitest';
import { checkNik, maskNik } from './nik.ts';

describe('NIK structure', () => {
  it('accepts a valid NIK, with spaces or dots, and tells the sex by the day', () => {
    expect(checkNik('3201011505900001')).toEqual({
      ok: true,
      nik: '3201011505900001',
      sex: 'male',
    });
    expect(checkNik('3201 0155 0590 0001')).toMatchObject({ ok: true, sex: 'female' });
    expect(checkNik('9501012902000001')).toMatchObject({ ok: true });
  });
  it.each([
    ['32010115059000', 'not_16_digits'],
    ['32010115059000012', 'not_16_digits'],
    ['320101150590000a', 'not_16_digits'],
    ['9901011505900001', 'unknown_province'],
    ['2001011505900001', 'unknown_province'],
    ['3200011505900001', 'bad_region'],
    ['3201001505900001', 'bad_region'],
    ['3201013202900001', 'bad_birth_date'],
    ['3201013102900001', 'bad_birth_date'],
    ['3201014013900001', 'bad_birth_date'],
    ['3201017205900001', 'bad_birth_date'],
    ['3201012902010001', 'bad_birth_date'],
    ['3201011505900000', 'zero_serial'],
  ])('refuses %s: %s', (nik, problem) => {
    expect(checkNik(nik)).toEqual({ ok: false, problem });
  });
  it('masks all but the region and the serial', () => {
    expect(maskNik('3201011505900001')).toBe('3201********0001');
  });
});
