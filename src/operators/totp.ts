// TOTP (RFC 6238) for every operator: SHA-1, 6 digits, 30 s, as every
// authenticator app expects; one step of clock drift either way; a code is
// never accepted twice (the last used step is stored).
import { lazyRequire } from '../shared/lazy-require.ts';

/** TOTP, loaded when an operator first signs in or enrols. */
const otp = lazyRequire<typeof import('otplib')>('otplib');

const period = 30;
const issuer = 'cekrek';

export function newTotpSecret(): string {
  return otp().generateSecret();
}

export function totpUri(secret: string, email: string): string {
  return otp().generateURI({ issuer, label: email, secret });
}

/** The code for a moment (tests use it to sign in with real codes). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return otp().generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/** The time step the code belongs to, or null when it is wrong, stale or used. */
export async function verifyTotp(
  secret: string,
  code: string,
  at: Date,
  lastStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(at.getTime() / 1000);
  const result = await otp().verify({
    secret,
    token: code,
    epoch,
    epochTolerance: period,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  return result.valid ? Math.floor(epoch / period) + result.delta : null;
}
