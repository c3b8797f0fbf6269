import { describe, expect, it } from 'vitest';
import { maxFileNameLength, sanitizeFileName } from './file-name.ts';

describe('sanitizeFileName', () => {
  it('keeps an ordinary name', () => {
    expect(sanitizeFileName('bukti transfer.jpg')).toBe('bukti transfer.jpg');
  });

  it('drops folders, whichever separator they use', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\ani\\ktp.png')).toBe('ktp.png');
  });

  it('removes control and direction-changing characters', () => {
    expect(sanitizeFileName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(sanitizeFileName('a\u0000b\u200Bc\u061C.pdf')).toBe('abc.pdf');
    expect(sanitizeFileName('a\uD800b.pdf')).toBe('ab.pdf');
  });

  it('makes a line break a space, as in every line of text', () => {
    expect(sanitizeFileName('a\r\nb.pdf')).toBe('a b.pdf');
  });

  it('collapses white space and trims', () => {
    expect(sanitizeFileName('  a \t  b.pdf  ')).toBe('a b.pdf');
  });

  it('bounds the length in characters', () => {
    const name = sanitizeFileName('é'.repeat(500));
    expect([...(name ?? '')]).toHaveLength(maxFileNameLength);
  });

  it('gives null for nothing left', () => {
    expect(sanitizeFileName(undefined)).toBeNull();
    expect(sanitizeFileName('')).toBeNull();
    expect(sanitizeFileName('  \u202E ')).toBeNull();
    expect(sanitizeFileName('foo/..')).toBeNull();
    expect(sanitizeFileName('dir/')).toBeNull();
  });
});
