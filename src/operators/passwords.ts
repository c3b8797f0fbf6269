// Passwords: argon2id (OWASP's first choice), a minimum length instead of
// composition rules (NIST SP 800-63B), and generated one-time passwords.
import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';

/** argon2id, 19 MiB, 2 passes: OWASP's recommended minimum. */
const argonOptions = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const passwordRules = { minLength: 12, maxLength: 256 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Why a new password is refused, or null. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < passwordRules.minLength) return 'password.too_short';
  if (password.length > passwordRules.maxLength) return 'password.too_long';
  if (password.toLowerCase().includes(email.split('@')[0]!.toLowerCase()))
    return 'password.contains_email';
  if (new Set(password).size < 5) return 'password.too_simple';
  return null;
}

// No look-alike characters (0/O, 1/l/I), so it can be read aloud or copied by hand.
const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 20 characters from 55: about 115 bits. */
export function generateOneTimePassword(): string {
  let out = '';
  for (let i = 0; i < 20; i++) out += alphabet[randomInt(alphabet.length)];
  return `${out.slice(0, 5)}-${out.slice(5, 10)}-${out.slice(10, 15)}-${out.slice(15)}`;
}
