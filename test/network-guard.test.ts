// Tests reach only this machine (test/support/network-guard.ts, loaded before
// every test file): a connection or a DNS query beyond it fails at once with a
// message naming it, and fails the test even if the error was swallowed;
// loopback works as ever.
import { once } from 'node:events';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  failOnBlockedConnections,
  isLoopback,
  takeBlockedConnections,
} from './support/network-guard.ts';

// TEST-NET-1 (RFC 5737): for documentation, routed nowhere.
const testNet = '192.0.2.1';
const stopped = /^Tests reach only loopback addresses: .* was stopped before it left this machine$/;

/** The error of a call that may throw at once or fail through its callback or promise. */
async function failureOf(start: () => unknown): Promise<Error> {
  const started = performance.now();
  let error: Error;
  try {
    const result = start();
    if (result instanceof Promise) await result;
    else if (result instanceof net.Socket || result instanceof http.ClientRequest) {
      [error] = (await once(result, 'error')) as [Error];
      return error;
    }
    throw new Error('expected a failure');
  } catch (caught) {
    error = caught as Error;
  }
  // At once: nothing waited for a network that is not there.
  expect(performance.now() - started).toBeLessThan(1000);
  return error;
}

function messageOf(error: Error): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}

afterEach(() => {
  // Each test below takes what it tried; anything left would be a real escape.
  expect(takeBlockedConnections()).toEqual([]);
});

describe('a connection beyond this machine', () => {
  it('fails at once, naming the address', async () => {
    const error = await failureOf(() => net.connect(80, testNet));
    expect(error.message).toMatch(stopped);
    expect(error.message).toContain(`a connection to ${testNet}:80`);
    expect((error as Error & { code?: string }).code).toBe('ENETUNREACH');
    expect(takeBlockedConnections()).toEqual([`a connection to ${testNet}:80`]);
  });

  it('fails through TLS, HTTP, HTTPS and fetch', async () => {
    const attempts: [string, () => unknown][] = [
      ['tls', () => tls.connect({ host: testNet, port: 443 })],
      ['http', () => http.get(`http://${testNet}/`)],
      ['https', () => https.get(`https://${testNet}/`)],
      ['fetch', () => fetch(`http://${testNet}:8080/`)],
      ['ipv6', () => net.connect({ host: '2001:db8::1', port: 80 })],
    ];
    for (const [label, attempt] of attempts) {
      expect(messageOf(await failureOf(attempt)), label).toMatch(stopped);
    }
    expect(takeBlockedConnections()).toEqual([
      `a connection to ${testNet}:443`,
      `a connection to ${testNet}:80`,
      `a connection to ${testNet}:443`,
      `a connection to ${testNet}:8080`,
      'a connection to 2001:db8::1:80',
    ]);
  });

  it('fails a DNS query for any name but localhost', async () => {
    const error = await failureOf(() => dns.promises.lookup('example.com'));
    expect(error.message).toContain('a DNS lookup of example.com');
    expect(() => dns.lookup('example.com', () => undefined)).toThrow(stopped);
    expect(messageOf(await failureOf(() => dns.promises.resolve4('example.com')))).toMatch(stopped);
    // fetch by name is stopped before its lookup, at the connection.
    expect(messageOf(await failureOf(() => fetch('http://example.com/')))).toMatch(stopped);
    expect(takeBlockedConnections()).toEqual([
      'a DNS lookup of example.com',
      'a DNS lookup of example.com',
      'a DNS query for example.com (resolve4)',
      'a connection to example.com:80',
    ]);
  });

  it('fails the test even when the code under test swallowed the error', () => {
    try {
      net.connect({ host: testNet, port: 5432 });
    } catch {
      // what a retry loop or a health probe might do
    }
    expect(() => failOnBlockedConnections()).toThrow(
      `this test tried:\n- a connection to ${testNet}:5432`,
    );
    expect(() => failOnBlockedConnections()).not.toThrow();
  });
});

describe('loopback', () => {
  it('is reachable over TCP and HTTP, and localhost resolves', async () => {
    const server = http.createServer((_request, response) => response.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as net.AddressInfo;
      const socket = net.connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.destroy();
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(await response.text()).toBe('hello');
      const { address } = await dns.promises.lookup('localhost');
      expect(isLoopback(address)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('is told apart from every other address', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.9.10',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      'localhost',
    ]) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of [testNet, '10.0.0.1', '0.0.0.0', '::ffff:192.0.2.1', '2001:db8::1']) {
      expect(isLoopback(host), host).toBe(false);
    }
    for (const host of ['example.com', 'localhost.example.com', 'db']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});
