// Turns what a person typed into the canonical account: provider code plus a
// normalized number. Banks: ASCII digits only after removing spaces, dots and
// dashes. E-wallets: an Indonesian mobile number, normalized to 62….
import { Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AppError } from './errors.ts';
import {
  providers as defaultProviders,
  type Provider,
  type ProviderRegistry,
} from './providers.ts';

export const bankNumberLength = { min: 5, max: 20 } as const;
/** Longer input than this is not a number anyone typed by hand. */
const maxInputLength = 64;

export interface AccountRef {
  readonly provider: Provider;
  readonly number: string;
  /** "{provider}:{number}", the account's identity everywhere. */
  readonly key: string;
  /** The number's length is outside what the bank usually issues: a hint, not an error. */
  readonly unusualLength: boolean;
}

export type NumberProblem = 'empty' | 'too_long' | 'not_digits' | 'too_short' | 'not_mobile';

/** Normalizes a bank account number, or names what is wrong with it. */
export function normalizeBankNumber(
  input: string,
): { number: string } | { problem: NumberProblem } {
  if (input.length > maxInputLength) return { problem: 'too_long' };
  const stripped = input.replace(/[\s.-]/g, '');
  if (stripped === '') return { problem: 'empty' };
  if (!/^[0-9]+$/.test(stripped)) return { problem: 'not_digits' };
  if (stripped.length < bankNumberLength.min) return { problem: 'too_short' };
  if (stripped.length > bankNumberLength.max) return { problem: 'too_long' };
  return { number: stripped };
}

/** Number types libphonenumber tells before MOBILE: a number matching one of them is not mobile. */
const typesBeforeMobile = [
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

interface NumberingPlanTypes {
  type(name: string): { pattern(): string | undefined } | undefined;
}

/**
 * Indonesian mobile numbers by libphonenumber's own patterns, as one regular
 * expression over the national number (after 62 or 0). Parsing a number with
 * libphonenumber takes about 6 µs, most of a check's cost; the written forms
 * people use (0812…, 62812…, +62 812…, 812…) are answered with this instead,
 * with the same result (a test compares the two). Null if the metadata is not
 * shaped as expected: then every number takes the full parse.
 */
function indonesianMobilePattern(): { mobile: RegExp; other: RegExp } | null {
  const metadata = new Metadata();
  metadata.selectNumberingPlan('ID');
  const plan = metadata.numberingPlan as unknown as Partial<NumberingPlanTypes> | undefined;
  if (typeof plan?.type !== 'function') return null;
  const patternOf = (name: string) => plan.type!(name)?.pattern();
  const mobile = patternOf('MOBILE');
  if (!mobile) return null;
  const others = typesBeforeMobile.flatMap((name) => patternOf(name) ?? []);
  return {
    mobile: new RegExp(`^(?:${mobile})$`),
    other: others.length ? new RegExp(`^(?:${others.join('|')})$`) : /(?!)/,
  };
}

const mobilePattern = indonesianMobilePattern();
const commonMobileForm = /^(?:\+62|62|0)?(8[0-9]{5,14})$/;

/** The canonical 62… form of a mobile number in a common written form, or null to parse it fully. */
function quickMobileNumber(compact: string): string | null {
  if (!mobilePattern) return null;
  const national = commonMobileForm.exec(compact)?.[1];
  if (!national || !mobilePattern.mobile.test(national) || mobilePattern.other.test(national)) {
    return null;
  }
  return `62${national}`;
}

/** Normalizes an Indonesian mobile number to 62… (E.164 without the plus). */
export function normalizeMobileNumber(
  input: string,
): { number: string } | { problem: NumberProblem } {
  if (input.length > maxInputLength) return { problem: 'too_long' };
  const compact = input.replace(/[\s.\-()]/g, '');
  if (compact === '') return { problem: 'empty' };
  if (!/^\+?[0-9]+$/.test(compact)) return { problem: 'not_digits' };
  const quick = quickMobileNumber(compact);
  if (quick) return { number: quick };
  return parseMobileNumber(compact);
}

/** The full parse, for every form the quick one does not take. */
export function parseMobileNumber(
  compact: string,
): { number: string } | { problem: NumberProblem } {
  const international = compact.startsWith('+')
    ? compact
    : compact.startsWith('62')
      ? `+${compact}`
      : compact.startsWith('8')
        ? `+62${compact}`
        : compact;
  const phone = parsePhoneNumberFromString(international, 'ID');
  if (!phone || phone.country !== 'ID' || !phone.isValid()) return { problem: 'not_mobile' };
  const type = phone.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return { problem: 'not_mobile' };
  return { number: phone.number.slice(1) };
}

export function isUnusualLength(provider: Provider, number: string): boolean {
  const expected = provider.numberLength;
  return expected !== null && (number.length < expected.min || number.length > expected.max);
}

export function resolveProviderOrThrow(
  input: string,
  registry: ProviderRegistry = defaultProviders,
): Provider {
  const provider = registry.resolve(input);
  if (!provider) {
    throw new AppError('invalid_provider', {
      message: 'unknown provider',
      errors: [{ field: 'provider', reason: 'provider.unknown' }],
    });
  }
  return provider;
}

/** Resolves provider and number together; throws AppError with the field at fault. */
export function toAccountRef(
  providerInput: string,
  numberInput: string,
  registry: ProviderRegistry = defaultProviders,
): AccountRef {
  const provider = resolveProviderOrThrow(providerInput, registry);
  const result =
    provider.kind === 'bank'
      ? normalizeBankNumber(numberInput)
      : normalizeMobileNumber(numberInput);
  if ('problem' in result) {
    throw new AppError('invalid_account_number', {
      message: `invalid account number: ${result.problem}`,
      errors: [{ field: 'number', reason: `number.${result.problem}` }],
      params: { problem: result.problem },
    });
  }
  return {
    provider,
    number: result.number,
    key: `${provider.code}:${result.number}`,
    unusualLength: provider.kind === 'bank' && isUnusualLength(provider, result.number),
  };
}
