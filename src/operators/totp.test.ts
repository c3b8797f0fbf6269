// TOTP against the known answers of RFC 6238, Appendix B (SHA-1, 30-second
// steps, T0 = 0). The RFC prints 8-digit codes; an authenticator app shows 6,
// the last 6 of the same truncated value.
import { describe, expect, it } from 'vitest';
import { totpCode, totpUri, verifyTotp } from './totp.ts';

/** The RFC's SHA-1 key, the ASCII text "12345678901234567890", in base32 as apps take it. */
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** Appendix B's SHA-1 rows: time in seconds and the 8-digit code. */
const vectors: readonly (readonly [seconds: number, code: string])[] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const at = (seconds: number) => new Date(seconds * 1000);
const sixDigits = (code: string) => code.slice(-6);
const stepOf = (seconds: number) => Math.floor(seconds / 30);

describe('TOTP (RFC 6238 Appendix B)', () => {
  it('has the RFC’s key in base32', () => {
    expect(Buffer.from('12345678901234567890', 'ascii').toString('hex')).toBe(
      '3132333435363738393031323334353637383930',
    );
    // RFC 4648 base32 of that text, written out: 5 bytes to 8 characters.
    expect(rfcSecret).toBe('GEZDGNBV' + 'GY3TQOJQ' + 'GEZDGNBV' + 'GY3TQOJQ');
  });

  for (const [seconds, code] of vectors) {
    it(`gives ${sixDigits(code)} at T=${seconds} and accepts it then, in the step ${stepOf(seconds)}`, async () => {
      expect(await totpCode(rfcSecret, at(seconds))).toBe(sixDigits(code));
      expect(await verifyTotp(rfcSecret, sixDigits(code), at(seconds), null)).toBe(stepOf(seconds));
    });
  }

  it('accepts one step of drift either way and no more', async () => {
    const [seconds, code] = [1111111109, '081804'];
    expect(await verifyTotp(rfcSecret, code, at(seconds + 30), null)).toBe(stepOf(seconds));
    expect(await verifyTotp(rfcSecret, code, at(seconds - 30), null)).toBe(stepOf(seconds));
    expect(await verifyTotp(rfcSecret, code, at(seconds + 90), null)).toBeNull();
    expect(await verifyTotp(rfcSecret, code, at(seconds - 90), null)).toBeNull();
  });

  it('never accepts a code of a step already used, nor the 8-digit form, nor a wrong code', async () => {
    const [seconds, code] = [1234567890, '005924'];
    expect(await verifyTotp(rfcSecret, code, at(seconds), stepOf(seconds))).toBeNull();
    expect(await verifyTotp(rfcSecret, code, at(seconds), stepOf(seconds) - 1)).toBe(
      stepOf(seconds),
    );
    expect(await verifyTotp(rfcSecret, '89005924', at(seconds), null)).toBeNull();
    expect(await verifyTotp(rfcSecret, '005925', at(seconds), null)).toBeNull();
  });

  it('enrols apps with the same parameters: SHA-1, 6 digits, 30 seconds, or the defaults', () => {
    const uri = new URL(totpUri(rfcSecret, 'operator@cekrek.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(rfcSecret);
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');
  });
});
