// The NIK (Nomor Induk Kependudukan) on an Indonesian ID card: 16 digits,
// PP KK CC DDMMYY SSSS — province, regency, district, birth date (women add
// 40 to the day) and a serial. Structure only: whether the person exists is
// for the registrar with the ID card photo in front of them.

/** Province codes of the Ministry of Home Affairs (Kemendagri), Papua's new provinces included. */
export const provinceCodes: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '21',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '51',
  '52',
  '53',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '72',
  '73',
  '74',
  '75',
  '76',
  '81',
  '82',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
]);

export type NikProblem =
  'not_16_digits' | 'unknown_province' | 'bad_region' | 'bad_birth_date' | 'zero_serial';

export type NikCheck =
  | { readonly ok: true; readonly nik: string; readonly sex: 'male' | 'female' }
  | { readonly ok: false; readonly problem: NikProblem };

/** The message key explaining each fault (messages.ts: `nik.<problem>`). */
export function nikProblemKey(problem: NikProblem): `nik.${NikProblem}` {
  return `nik.${problem}`;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether day/month exists in 19YY or 20YY (the NIK does not say which century). */
function dateExists(day: number, month: number, yy: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > daysIn) return false;
  if (month === 2 && day === 29) return isLeap(1900 + yy) || isLeap(2000 + yy);
  return true;
}

/** Accepts spaces, dots and dashes people type between the groups. */
export function checkNik(input: string): NikCheck {
  const nik = input.replace(/[\s.-]/g, '');
  if (!/^\d{16}$/.test(nik)) return { ok: false, problem: 'not_16_digits' };
  if (!provinceCodes.has(nik.slice(0, 2))) return { ok: false, problem: 'unknown_province' };
  if (nik.slice(2, 4) === '00' || nik.slice(4, 6) === '00') {
    return { ok: false, problem: 'bad_region' };
  }
  const rawDay = Number(nik.slice(6, 8));
  const female = rawDay > 40;
  const day = female ? rawDay - 40 : rawDay;
  if (!dateExists(day, Number(nik.slice(8, 10)), Number(nik.slice(10, 12)))) {
    return { ok: false, problem: 'bad_birth_date' };
  }
  if (nik.slice(12) === '0000') return { ok: false, problem: 'zero_serial' };
  return { ok: true, nik, sex: female ? 'female' : 'male' };
}

/** "3201********0001": enough to recognise, too little to use. */
export function maskNik(nik: string): string {
  return `${nik.slice(0, 4)}${'*'.repeat(8)}${nik.slice(12)}`;
}
