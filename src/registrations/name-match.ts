// The name check of a seller page, as Confirmation of Payee does it: a buyer
// types the name they were given, and learns whether it is the registered
// holder's ("match"), nearly so ("close match": a name left out, a typo, an
// initial, another spelling), or not ("no match"). The registered name itself
// never leaves: only one of those three words does.
//
// Written by hand: the rules are about Indonesian names (titles such as Bpk,
// Hj., S.E., S.Kom; the many spellings of Muhammad), which no general library
// knows, and they fit on a page.

export type NameMatch = 'match' | 'close_match' | 'no_match';

/** Titles and honorifics wherever they stand, written with dots or without. */
const titles: ReadonlySet<string> = new Set([
  // forms of address
  'bpk',
  'bapak',
  'ibu',
  'sdr',
  'sdri',
  'sdra',
  'saudara',
  'saudari',
  'tn',
  'tuan',
  'ny',
  'nyonya',
  'nn',
  'nona',
  'mr',
  'mrs',
  'ms',
  'miss',
  // religious
  'hj',
  'haji',
  'hajah',
  'hajjah',
  'kh',
  'ust',
  'ustad',
  'ustadz',
  'ustaz',
  'ustadzah',
  'ustazah',
  // academic and professional, before or after the name
  'dr',
  'drs',
  'dra',
  'ir',
  'prof',
  'se',
  'sh',
  'skom',
  'spd',
  'ssi',
  'ssos',
  'sip',
  'sked',
  'sag',
  'shi',
  'sth',
  'spsi',
  'skm',
  'sfarm',
  'sikom',
  'sds',
  'ssn',
  'stp',
  'spt',
  'shum',
  'mm',
  'mba',
  'msi',
  'mkom',
  'mpd',
  'mh',
  'mhum',
  'mkes',
  'mt',
  'msc',
  'bsc',
  'phd',
  'amd',
  'apt',
  'ak',
  'akt',
  'cpa',
]);

/** Titles that are also short names or initials: dropped only when written with a dot ("H.", "S.T."). */
const dottedTitles: ReadonlySet<string> = new Set(['h', 'st', 'sp', 'ma', 'ba', 'sr']);

/** Everyday forms of address ("Pak Budi", "Mbak Rina"): dropped only before the name. */
const leadingHonorifics: ReadonlySet<string> = new Set([
  'pak',
  'bu',
  'mas',
  'mbak',
  'kak',
  'bang',
  'abang',
  'om',
  'tante',
  'koh',
  'ko',
  'ci',
  'cik',
  'cece',
  'neng',
  'teh',
  'aa',
  'uda',
  'uni',
]);

/** Spellings of one name, read as the same name (a close match, not a match). */
const variants: ReadonlyMap<string, string> = new Map(
  [
    'muhammad',
    'muhamad',
    'muhammed',
    'muhamed',
    'mohammad',
    'mohamad',
    'mohammed',
    'mohamed',
    'mochammad',
    'mochamad',
    'muchammad',
    'muchamad',
    'moch',
    'moh',
    'mohd',
    'muh',
    'mhd',
  ].map((spelling) => [spelling, 'muhammad']),
);

interface Token {
  /** Letters and digits only, lower case, without accents. */
  readonly text: string;
  /** Whether it was written with a dot ("H.", "S.E."), as abbreviations are. */
  readonly dotted: boolean;
}

function letters(text: string): string {
  return text.replace(/[^\p{L}\p{N}]/gu, '');
}

function isTitle(text: string, dotted: boolean): boolean {
  return titles.has(text) || (dotted && dottedTitles.has(text));
}

/** "Dr.Budi" and "Dr.Ir." are two words each, "S.Kom" and "A.Md." one abbreviation each. */
function splitDots(word: string): Token[] {
  const pieces = word.split('.').map(letters).filter(Boolean);
  const dotted = word.includes('.');
  const joined = pieces.join('');
  if (pieces.length <= 1 || isTitle(joined, dotted))
    return joined ? [{ text: joined, dotted }] : [];
  if (pieces.every((p) => isTitle(p, true)) || pieces.some((p) => p.length > 3)) {
    return pieces.map((text) => ({ text, dotted }));
  }
  return [{ text: joined, dotted }];
}

/**
 * The words of a name that identify a person: lower case, accents and
 * punctuation gone, titles and honorifics dropped. Order is kept.
 */
export function nameTokens(name: string): string[] {
  const plain = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const tokens = plain
    .split(/[\s,/\\()\-–—_;:]+/)
    .filter(Boolean)
    .flatMap(splitDots)
    .filter((t) => !isTitle(t.text, t.dotted));
  while (tokens.length > 1 && leadingHonorifics.has(tokens[0]!.text)) tokens.shift();
  return tokens.map((t) => t.text);
}

/** Edits (insert, delete, substitute) between two words; two rows of the usual table. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** Typos a word of this length may carry and still be the same word. */
function allowedEdits(length: number): number {
  if (length <= 3) return 0;
  return length <= 6 ? 1 : 2;
}

function canonical(token: string): string {
  return variants.get(token) ?? token;
}

type Pairing = 'same' | 'similar' | 'initial';

function pairing(a: string, b: string): Pairing | null {
  if (a === b) return 'same';
  const ca = canonical(a);
  const cb = canonical(b);
  if (ca === cb) return 'similar';
  if (ca.length > 1 && cb.length > 1) {
    return editDistance(ca, cb) <= allowedEdits(Math.min(ca.length, cb.length)) ? 'similar' : null;
  }
  // "B" for "Budi": an initial says little, so it never makes a match on its own.
  return ca[0] === cb[0] ? 'initial' : null;
}

/**
 * Pairs each word of the shorter name with a different word of the longer
 * one, best pairs first. Null when some word has no partner.
 */
function pairWords(shorter: readonly string[], longer: readonly string[]): Pairing[] | null {
  const free = new Set(longer.map((_, index) => index));
  const found: (Pairing | null)[] = shorter.map(() => null);
  for (const kind of ['same', 'similar', 'initial'] as const) {
    shorter.forEach((word, i) => {
      if (found[i]) return;
      for (const j of free) {
        if (pairing(word, longer[j]!) === kind) {
          found[i] = kind;
          free.delete(j);
          return;
        }
      }
    });
  }
  return found.every((p) => p !== null) ? found : null;
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
}

/**
 * Compares the name a buyer was given with the registered holder's name.
 * Word order does not matter. Throws if the given name has no word left
 * once titles are dropped (the caller asks for a name first).
 */
export function matchName(registered: string, given: string): NameMatch {
  const a = nameTokens(registered);
  const b = nameTokens(given);
  if (b.length === 0) throw new Error('the given name has no words');
  if (a.length === 0) return 'no_match';
  if (sameWords(a, b)) return 'match';
  // Spacing: "Abdurrahman" and "Abdur Rahman".
  if (a.map(canonical).join('') === b.map(canonical).join('')) return 'close_match';
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const pairs = pairWords(shorter, longer);
  if (!pairs) return 'no_match';
  // At least one whole word must agree: initials alone ("B. S.") prove nothing.
  return pairs.some((p) => p !== 'initial') ? 'close_match' : 'no_match';
}
