import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarDate,
  cleanLine,
  cleanMultiLine,
  isCalendarDate,
  isText,
  lineText,
  multiLineText,
  notTextPaths,
  optionalRupiah,
  parseRupiah,
  rowId,
  safeString,
  visibleLength,
  withoutBidiControls,
} from './text-input.ts';

const bidiControls = [
  '\u061C',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];
const zeroWidth = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'];

function messagesOf(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.success ? [] : (result.error?.issues.map((i) => i.message) ?? []);
}

describe('isText', () => {
  it('refuses NUL, lone surrogates and the replacement character of undecodable bytes', () => {
    expect(isText('Budi Santoso')).toBe(true);
    expect(isText('emoji 😀 and ñ')).toBe(true);
    expect(isText('a\u0000b')).toBe(false);
    expect(isText('a\uD800b')).toBe(false);
    expect(isText('a\uDC00')).toBe(false);
    expect(isText(Buffer.from([0x61, 0xff, 0x62]).toString('utf8'))).toBe(false);
  });
});

describe('cleanLine', () => {
  it('removes every bidirectional control and zero-width character', () => {
    for (const char of [...bidiControls, ...zeroWidth]) {
      expect(cleanLine(`Bu${char}di`)).toBe('Budi');
    }
    expect(cleanLine('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
  });

  it('makes line breaks, tabs and runs of spaces one space, and trims', () => {
    expect(cleanLine('  Budi\r\n\tSantoso \u00A0 ')).toBe('Budi Santoso');
    expect(cleanLine('a\u2028b')).toBe('a b');
  });

  it('removes control characters and the blank letters that fake an empty name', () => {
    expect(cleanLine('a\u0001\u007F\u0085\u009Fb')).toBe('a b');
    expect(cleanLine('\u3164\u115F\u2800')).toBe('');
  });

  it('normalizes to NFC', () => {
    expect(cleanLine('Jose\u0301')).toBe('José');
  });

  it('leaves nothing invisible, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const cleaned = cleanLine(value);
        expect(cleaned).not.toMatch(/[\p{Cf}\p{Cc}]/u);
        expect(cleaned).toBe(cleaned.trim());
        expect(cleanLine(cleaned)).toBe(cleaned);
      }),
    );
  });
});

describe('cleanMultiLine', () => {
  it('keeps line breaks and tabs, made \\n, and removes the rest of the invisible characters', () => {
    expect(cleanMultiLine('Line one\r\nline\u200B two\rthree\u2029\tfour  \n')).toBe(
      'Line one\nline two\nthree\n\tfour',
    );
    for (const char of bidiControls) expect(cleanMultiLine(`a${char}b`)).toBe('ab');
  });
});

describe('withoutBidiControls', () => {
  it('removes the bidirectional controls and nothing else', () => {
    expect(withoutBidiControls(`a${bidiControls.join('')}b\u200Bc`)).toBe('ab\u200Bc');
  });
});

describe('visibleLength', () => {
  it('counts what a reader sees: graphemes, a run of spaces once', () => {
    expect(visibleLength('abc')).toBe(3);
    expect(visibleLength('a   b')).toBe(3);
    expect(visibleLength('e\u0301')).toBe(1);
    expect(visibleLength('👨‍👩‍👧')).toBe(1);
  });
});

describe('lineText and multiLineText', () => {
  const name = lineText({ min: 2, max: 10, reason: 'name.length' });
  const story = multiLineText({ min: 5, max: 100, reason: 'story.length' });

  it('counts the minimum on visible characters, after invisible ones are removed', () => {
    expect(messagesOf(name.safeParse('A\u200B\u200B\u200B'))).toEqual(['name.length']);
    expect(messagesOf(name.safeParse('\u202E\u200B'))).toEqual(['form.required']);
    expect(messagesOf(story.safeParse('a\u200Bb\u200Bc\u200Bd'))).toEqual(['story.length']);
    expect(name.parse(' A\u200Bn ')).toBe('An');
  });

  it('refuses what is not text, and says so', () => {
    expect(messagesOf(name.safeParse('Bu\u0000di'))).toEqual(['form.notText']);
    expect(messagesOf(story.safeParse('a long enough story \uD800'))).toEqual(['form.notText']);
  });

  it('stores names and free text without bidirectional controls', () => {
    expect(name.parse('\u202EBudi\u2066')).toBe('Budi');
    expect(story.parse('It was \u202Dreversed\u202C, see?')).toBe('It was reversed, see?');
  });
});

describe('safeString', () => {
  it('takes any text as it is, and refuses what is not text', () => {
    expect(safeString().parse(' x\u200B ')).toBe(' x\u200B ');
    expect(messagesOf(safeString().safeParse('\u0000'))).toEqual(['form.notText']);
  });
});

describe('calendar dates', () => {
  it('knows which days exist', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-28')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-02-30')).toBe(false);
    expect(isCalendarDate('2025-04-31')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-00-10')).toBe(false);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('0099-12-31')).toBe(true);
    expect(isCalendarDate('2025-2-3')).toBe(false);
  });

  it('refuses a date that is not on the calendar, one too early and one in the future', () => {
    const date = calendarDate({
      format: 'date.format',
      earliest: '2000-01-01',
      latest: '2026-03-01',
      future: 'date.future',
    });
    expect(date.parse(' 2026-02-28 ')).toBe('2026-02-28');
    expect(messagesOf(date.safeParse('2025-02-30'))).toEqual(['form.date.notOnCalendar']);
    expect(messagesOf(date.safeParse('1999-12-31'))).toEqual(['date.format']);
    expect(messagesOf(date.safeParse('2026-03-02'))).toEqual(['date.future']);
    expect(messagesOf(date.safeParse('01/03/2026'))).toEqual(['date.format']);
  });
});

describe('amounts in rupiah', () => {
  it('reads whole rupiah as people write them', () => {
    expect(parseRupiah('1500000')).toBe(1_500_000);
    expect(parseRupiah('1.500.000')).toBe(1_500_000);
    expect(parseRupiah('1 500 000')).toBe(1_500_000);
    expect(parseRupiah('Rp 1.500.000')).toBe(1_500_000);
    expect(parseRupiah('Rp1500000')).toBe(1_500_000);
    expect(parseRupiah('rp. 50.000,-')).toBe(50_000);
    expect(parseRupiah('50.000,00')).toBe(50_000);
    expect(parseRupiah('0')).toBe(0);
  });

  it('refuses a decimal part or a malformed grouping rather than reading it as something else', () => {
    for (const value of ['100.5', '1,5', '1.50', '1.5000', '12.34.567', '1,000,000', '1.000 000']) {
      expect(parseRupiah(value), value).toBeNull();
    }
    expect(parseRupiah('12345678901234')).toBeNull();
  });

  it('gives the form its message, and null for an empty field', () => {
    const amount = optionalRupiah('amount.reason');
    expect(amount.parse(undefined)).toBeNull();
    expect(amount.parse('  ')).toBeNull();
    expect(amount.parse('1.000')).toBe(1000);
    expect(messagesOf(amount.safeParse('100.5'))).toEqual(['amount.reason']);
  });
});

describe('rowId', () => {
  it('takes only ids that fit an integer column', () => {
    expect(rowId().parse('2147483647')).toBe(2_147_483_647);
    expect(rowId().safeParse('2147483648').success).toBe(false);
    expect(rowId().safeParse('0').success).toBe(false);
    expect(rowId().safeParse('1e400').success).toBe(false);
  });
});

describe('notTextPaths', () => {
  it('names every string, key included, that is not text', () => {
    expect(notTextPaths({ a: 'ok', b: ['x', 'y\u0000'], c: { 'd\uD800': 1 }, e: 5 })).toEqual([
      'b.1',
      'c.d\uD800',
    ]);
    expect(notTextPaths('\u0000')).toEqual(['request']);
    expect(notTextPaths(null)).toEqual([]);
  });
});
