// Writes an import CSV of reported accounts for benchmarks: most rows name an
// account of their own, some report an account again (in another written
// form), so the import meets both new accounts and repeat reports.
//
//   node bin/run-ts.js bench/generate.ts FILE.csv [ROWS]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { categoryCodes } from '../src/shared/categories.ts';
import { importColumns } from '../src/reports/import.csv.ts';
import { csvLine } from '../src/shared/csv.ts';

export interface AccountSample {
  readonly provider: string;
  readonly number: string;
}

export interface GeneratedCsv {
  readonly rows: number;
  readonly accounts: number;
  /** Canonical provider and number of some imported accounts, for the load test. */
  readonly present: readonly AccountSample[];
}

interface BankSpec {
  readonly code: string;
  readonly length: number;
  readonly names: readonly string[];
}

// Codes, usual lengths and some of the names people write for the big banks.
const banks: readonly BankSpec[] = [
  { code: '014', length: 10, names: ['014', 'bca', 'BCA', 'Bank Central Asia'] },
  { code: '002', length: 15, names: ['002', 'bri', 'BRI', 'Bank Rakyat Indonesia'] },
  { code: '008', length: 13, names: ['008', 'mandiri', 'Bank Mandiri'] },
  { code: '009', length: 10, names: ['009', 'bni', 'BNI 46'] },
  { code: '451', length: 10, names: ['451', 'bsi'] },
  { code: '022', length: 13, names: ['022', 'cimb niaga'] },
  { code: '542', length: 12, names: ['542', 'jago'] },
  { code: '535', length: 12, names: ['535', 'seabank'] },
];
const wallets: readonly string[] = ['dana', 'ovo', 'gopay', 'shopeepay', 'linkaja'];
const mobilePrefixes: readonly string[] = ['812', '813', '821', '852', '857', '878', '896', '881'];
const givenNames = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rizky', 'Putri', 'Andi', 'Wahyu', 'Nur'];
const familyNames = ['Santoso', 'Wijaya', 'Saputra', 'Lestari', 'Hidayat', 'Pratama', 'Kusuma'];

/** Account indexes of absent accounts start here, far from any imported one. */
const absentBase = 50_000_000;
/** Mixing by an odd multiplier not divisible by 5 is a bijection modulo 10^n: distinct indexes give distinct numbers. */
const multiplier = 2_654_435_761;

/** mulberry32: a small seeded generator, so every run writes the same file. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mixedDigits(index: number, digits: number): string {
  const modulus = 10n ** BigInt(digits);
  const mixed = (BigInt(index) * BigInt(multiplier) + 12_345n) % modulus;
  return mixed.toString().padStart(digits, '0');
}

interface GeneratedAccount {
  readonly wallet: boolean;
  readonly code: string;
  readonly names: readonly string[];
  /** Digits as stored: bank digits, or the mobile number without country code. */
  readonly digits: string;
}

/** Account number `index`: one in five an e-wallet, the rest spread over the banks. */
function accountAt(index: number): GeneratedAccount {
  if (index % 5 === 4) {
    const wallet = wallets[Math.floor(index / 5) % wallets.length]!;
    const prefix = mobilePrefixes[Math.floor(index / 25) % mobilePrefixes.length]!;
    return { wallet: true, code: wallet, names: [wallet], digits: prefix + mixedDigits(index, 8) };
  }
  const bank = banks[index % banks.length]!;
  return {
    wallet: false,
    code: bank.code,
    names: bank.names,
    digits: mixedDigits(index, bank.length),
  };
}

function canonical(account: GeneratedAccount): AccountSample {
  return {
    provider: account.code,
    number: account.wallet ? `62${account.digits}` : account.digits,
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** The forms people write numbers in: plain, grouped with dashes, dots or spaces, with country code. */
function writtenNumber(account: GeneratedAccount, random: () => number): string {
  const d = account.digits;
  const form = random();
  if (account.wallet) {
    if (form < 0.4) return `0${d}`;
    if (form < 0.6) return `0${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
    if (form < 0.8) return `+62 ${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`;
    return `62${d}`;
  }
  if (form < 0.8) return d;
  if (form < 0.9) return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
  return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`;
}

const threeYears = 3 * 365 * 24 * 3600 * 1000;

function reportedAt(now: number, random: () => number): string {
  const at = new Date(now - Math.floor(random() * threeYears));
  return random() < 0.5 ? at.toISOString().slice(0, 10) : at.toISOString().replace('.000Z', 'Z');
}

function holderName(random: () => number): string {
  return random() < 0.5 ? '' : `${pick(givenNames, random)} ${pick(familyNames, random)}`;
}

export interface GenerateOptions {
  readonly seed?: number;
  /** Source ids are this and the row number: another prefix makes a file of new reports. */
  readonly sourcePrefix?: string;
  /** Share of rows that report an account already reported earlier in the file. */
  readonly repeatShare?: number;
  readonly presentSamples?: number;
  readonly now?: Date;
}

export async function generateImportCsv(
  file: string,
  rows: number,
  options: GenerateOptions = {},
): Promise<GeneratedCsv> {
  const random = seededRandom(options.seed ?? 1);
  const repeatShare = options.repeatShare ?? 0.08;
  const now = (options.now ?? new Date()).getTime() - 60_000;
  const sampleEvery = Math.max(1, Math.floor(rows / (options.presentSamples ?? 5000)));
  const out = createWriteStream(file);
  const present: AccountSample[] = [];
  let accounts = 0;
  let chunk = csvLine(importColumns);
  for (let row = 0; row < rows; row++) {
    const repeat = accounts > 0 && random() < repeatShare;
    const index = repeat ? Math.floor(random() * accounts) : accounts++;
    const account = accountAt(index);
    if (!repeat && index % sampleEvery === 0) present.push(canonical(account));
    // Written like the export: a `+62 …` number goes out spreadsheet-safe, as `'+62 …`.
    chunk += csvLine([
      `${options.sourcePrefix ?? 'gen'}-${row}`,
      pick(account.names, random),
      writtenNumber(account, random),
      pick(categoryCodes, random),
      reportedAt(now, random),
      holderName(random),
    ]);
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { rows, accounts, present };
}

/** Accounts of the same shapes that the generated file never names. */
export function absentAccounts(count: number, seed = 2): AccountSample[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    canonical(accountAt(absentBase + Math.floor(random() * absentBase))),
  );
}

async function main(): Promise<void> {
  const [file, rows = '1000000'] = process.argv.slice(2);
  if (!file) throw new Error('usage: node bin/run-ts.js bench/generate.ts FILE.csv [ROWS]');
  const generated = await generateImportCsv(file, Number(rows));
  console.log(`${file}: ${generated.rows} rows, ${generated.accounts} distinct accounts`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
