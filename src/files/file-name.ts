// The name a sender gave a file, made safe to keep and to show an operator:
// no folders, no control or direction-changing characters, bounded length.
// It is a label only; nothing is ever stored or served under it.
import { cleanLine } from '../shared/text-input.ts';

export const maxFileNameLength = 200;

export function sanitizeFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? '';
  // A lone surrogate is no character at all; the rest is a line of text like any other.
  const clean = cleanLine(base.replace(/\p{Cs}/gu, ''));
  const bounded = [...clean].slice(0, maxFileNameLength).join('').trim();
  return bounded === '' || bounded === '.' || bounded === '..' ? null : bounded;
}
