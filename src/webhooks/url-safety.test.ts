import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { checkWebhookUrl, isPublicAddress } from './url-safety.ts';

const refused = [
  '127.0.0.1',
  '127.255.0.9',
  '0.0.0.0',
  '10.1.2.3',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '100.64.0.1',
  '100.127.255.254',
  '169.254.169.254',
  '192.0.2.10',
  '198.51.100.7',
  '203.0.113.1',
  '198.18.0.1',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  '64:ff9b::a00:1',
  '64:ff9b::127.0.0.1',
  'fc00::1',
  'fd12:3456:789a::1',
  'fe80::1',
  'fe80::1%eth0',
  'fec0::1',
  'ff02::1',
  '2001:db8::1',
  '2002:7f00:1::1',
  '100::1',
  '::127.0.0.1',
  'not an address',
];

const allowed = [
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '100.128.0.1',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
];

describe('which addresses a webhook may be sent to', () => {
  it.each(refused)('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
  it.each(allowed)('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

async function codeOf(url: string, resolve?: (host: string) => Promise<string[]>) {
  try {
    await checkWebhookUrl(url, { allowPrivate: false, ...(resolve ? { resolve } : {}) });
    return 'accepted';
  } catch (error) {
    return isAppError(error) ? error.code : 'thrown';
  }
}

describe('checkWebhookUrl', () => {
  it('takes https:// to a public address, or a name resolving only to public ones', async () => {
    expect(await codeOf('https://8.8.8.8/hook')).toBe('accepted');
    expect(
      await codeOf('https://hooks.bank.example/x', () => Promise.resolve(['93.184.216.34'])),
    ).toBe('accepted');
  });

  it.each([
    'http://8.8.8.8/hook',
    'ftp://8.8.8.8/',
    'https://127.0.0.1/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://10.0.0.1/',
    'https://192.168.0.10/',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[fd00::1]/',
    'https://user:pass@8.8.8.8/',
    'not a url',
  ])('refuses %s with invalid_webhook_url', async (url) => {
    expect(await codeOf(url)).toBe('invalid_webhook_url');
  });

  it('refuses a name when any of its addresses is private, or when it does not resolve', async () => {
    expect(
      await codeOf('https://rebind.example/', () => Promise.resolve(['93.184.216.34', '10.0.0.5'])),
    ).toBe('invalid_webhook_url');
    expect(
      await codeOf('https://nowhere.example/', () => Promise.reject(new Error('ENOTFOUND'))),
    ).toBe('invalid_webhook_url');
  });

  it('takes http:// and private addresses when WEBHOOK_ALLOW_PRIVATE is on', async () => {
    const url = await checkWebhookUrl('http://127.0.0.1:8080/hook', { allowPrivate: true });
    expect(url.port).toBe('8080');
  });
});
