// The name a sender gave a file, made safe to keep and to show an operator:
// no folders, no control or direction-changing characters, bounded length.
// It is a label only; nothing is ever stored or served under it.

export const maxFileNameLength = 200;

/**
 * C0 and C1 controls, and the bidirectional marks, overrides and isolates
 * that can make "gpj.exe" display as "exe.jpg".
 */
function isUnsafe(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x200e ||
    codePoint === 0x200f ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069)
  );
}

export function sanitizeFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? '';
  const characters = [...base.normalize('NFC')].filter((c) => !isUnsafe(c.codePointAt(0) ?? 0));
  const clean = characters.join('').replace(/\s+/gu, ' ').trim();
  const bounded = [...clean].slice(0, maxFileNameLength).join('').trim();
  return bounded === '' || bounded === '.' || bounded === '..' ? null : bounded;
}
