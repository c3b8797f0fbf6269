import { describe, expect, it } from 'vitest';
import { detectFileType } from './file-type.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );

describe('detectFileType', () => {
  it('tells the four accepted types by their first bytes', () => {
    expect(detectFileType(bytes([0xff, 0xd8, 0xff, 0xe0], 'rest'))).toBe('image/jpeg');
    expect(detectFileType(bytes([0x89], 'PNG\r\n\x1a\n', 'rest'))).toBe('image/png');
    expect(detectFileType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
    expect(detectFileType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('refuses executables, scripts and other formats, whatever they are called', () => {
    expect(detectFileType(bytes([0x7f], 'ELF', [2, 1, 1, 0, 0, 0, 0, 0]))).toBeNull();
    expect(detectFileType(bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0]))).toBeNull();
    expect(detectFileType(bytes('#!/bin/sh\nrm -rf /\n'))).toBeNull();
    expect(detectFileType(bytes('GIF89a', [1, 0, 1, 0, 0, 0]))).toBeNull();
    expect(detectFileType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(detectFileType(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBeNull();
    expect(detectFileType(bytes('PK', [3, 4, 20, 0, 0, 0, 8, 0, 0, 0]))).toBeNull();
  });

  it('refuses what is too short to carry a signature', () => {
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
    expect(detectFileType(bytes([0xff, 0xd8]))).toBeNull();
    expect(detectFileType(bytes('RIFF', [0, 0, 0, 0], 'WEB'))).toBeNull();
  });
});
