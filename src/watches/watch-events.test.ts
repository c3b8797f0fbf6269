import { describe, expect, it } from 'vitest';
import { newMessageId, sellerEvent, takesEvent } from './watch-events.ts';
import { decodeCursor, encodeCursor, parseHashes } from './watch-input.ts';

describe('watch events and input', () => {
  it('makes distinct message ids of 26 base32 characters', () => {
    const ids = Array.from({ length: 5000 }, () => newMessageId());
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^msg_[a-z2-7]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reads an endpoint’s events, taking nothing from an unreadable list', () => {
    expect(takesEvent('["account.reported"]', 'account.reported')).toBe(true);
    expect(takesEvent('["account.disputed"]', 'account.reported')).toBe(false);
    expect(takesEvent('not json', 'account.reported')).toBe(false);
    expect(takesEvent('{"account.reported":1}', 'account.reported')).toBe(false);
  });

  it('tells watchers of an approval and a revocation only', () => {
    expect(sellerEvent('approved')).toBe('account.seller_verified');
    expect(sellerEvent('revoked')).toBe('account.seller_revoked');
    expect(sellerEvent('rejected')).toBeUndefined();
    expect(sellerEvent('kept')).toBeUndefined();
  });

  it('keeps hashes lower-case and once; a cursor round-trips and a strange one is refused', () => {
    const hash = 'AB'.repeat(32);
    expect(parseHashes([hash, hash.toLowerCase()])).toEqual(['ab'.repeat(32)]);
    expect(decodeCursor(encodeCursor('0f'.repeat(32)))).toBe('0f'.repeat(32));
    expect(() => decodeCursor('abc')).toThrow('validation_failed');
  });
});
