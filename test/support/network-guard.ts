// Tests stay on this machine. A connection to anything but a loopback address
// (TCP, and so TLS, HTTP(S), fetch, PostgreSQL, Redis and SMTP clients) and
// a DNS query for a name other than localhost throw at once, naming the
// address, and are remembered: the setup file fails the test that made them
// even when the code under test swallowed the error, as a retry loop or a
// health probe would. A test that may reach out would pass or fail by the
// state of a network it does not control, and would leak its data there.
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

interface GuardState {
  installed: boolean;
  readonly blocked: string[];
}

// On globalThis: the built-in modules are patched once per process, while
// Vitest may load this module afresh for every test file.
const stateKey = Symbol.for('cekrek.test.network-guard');
const state = ((globalThis as Record<symbol, GuardState | undefined>)[stateKey] ??= {
  installed: false,
  blocked: [],
});

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (IPv4-mapped forms included), and the name localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const family = net.isIP(bare);
  if (family === 4) return loopback.check(bare, 'ipv4');
  if (family === 6) return loopback.check(bare, 'ipv6');
  return false;
}

export class NetworkBlockedError extends Error {
  readonly code = 'ENETUNREACH';
}

function refuse(what: string): NetworkBlockedError {
  state.blocked.push(what);
  return new NetworkBlockedError(
    `Tests reach only loopback addresses: ${what} was stopped before it left this machine`,
  );
}

/** Where a Socket#connect call goes: undefined for a local (Unix) socket. */
function connectTarget(args: unknown[]): { host: string; port: string } | undefined {
  // net.connect() hands Socket#connect its arguments already normalized, as an array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { path?: unknown; host?: string | null; port?: number | string };
    // As net decides: a path (an HTTP agent passes path: null) means a local socket.
    if (options.path) return undefined;
    return { host: options.host ?? 'localhost', port: String(options.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined;
  const host = typeof args[1] === 'string' ? args[1] : 'localhost';
  return { host, port: String(first) };
}

type AnyFunction = (...args: unknown[]) => unknown;

function guardSockets(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped, then called with the socket
  const connect = net.Socket.prototype.connect;
  const guarded = function (this: net.Socket, ...args: unknown[]) {
    const target = connectTarget(args);
    if (target && !isLoopback(target.host)) {
      throw refuse(`a connection to ${target.host}:${target.port}`);
    }
    return (connect as AnyFunction).apply(this, args);
  };
  net.Socket.prototype.connect = guarded as typeof connect;
}

/** Replaces each named method of `target` with one that refuses non-loopback names. */
function guardNames(target: object, names: readonly string[], style: 'callback' | 'promise') {
  const methods = target as Record<string, AnyFunction | undefined>;
  for (const name of names) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    methods[name] = function (this: unknown, ...args: unknown[]) {
      const host = args[0];
      if (typeof host === 'string' && !isLoopback(host)) {
        const error = refuse(`a DNS query for ${host} (${name})`);
        if (style === 'promise') return Promise.reject(error);
        throw error;
      }
      return original.apply(this, args);
    };
  }
}

const queries = [
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCaa',
  'resolveCname',
  'resolveMx',
  'resolveNaptr',
  'resolveNs',
  'resolvePtr',
  'resolveSoa',
  'resolveSrv',
  'resolveTxt',
  'reverse',
] as const;

function guardDns(): void {
  // A lookup of an address literal asks nobody; the connection to it is what is guarded.
  const byName = (host: unknown) => typeof host === 'string' && net.isIP(host) === 0;
  const lookup = dns.lookup;
  const promisedLookup = dns.promises.lookup;
  dns.lookup = function (this: unknown, ...args: unknown[]) {
    if (byName(args[0]) && !isLoopback(args[0] as string)) {
      throw refuse(`a DNS lookup of ${String(args[0])}`);
    }
    return (lookup as AnyFunction).apply(this, args);
  } as typeof dns.lookup;
  dns.promises.lookup = function (this: unknown, ...args: unknown[]) {
    if (byName(args[0]) && !isLoopback(args[0] as string)) {
      return Promise.reject(refuse(`a DNS lookup of ${String(args[0])}`));
    }
    return (promisedLookup as AnyFunction).apply(this, args);
  } as typeof dns.promises.lookup;
  guardNames(dns, [...queries, 'lookupService'], 'callback');
  guardNames(dns.Resolver.prototype, queries, 'callback');
  guardNames(dns.promises, [...queries, 'lookupService'], 'promise');
  guardNames(dns.promises.Resolver.prototype, queries, 'promise');
  // `import { lookup } from 'node:dns'` sees the guarded functions too.
  syncBuiltinESMExports();
}

/** Patches net and dns for this process; calling it again does nothing. */
export function installNetworkGuard(): void {
  if (state.installed) return;
  state.installed = true;
  guardSockets();
  guardDns();
}

/** Counts an attempt seen elsewhere (a browser's request) against the current test. */
export function reportBlocked(what: string): void {
  state.blocked.push(what);
}

/** The attempts stopped since the last call, which are then forgotten. */
export function takeBlockedConnections(): string[] {
  return state.blocked.splice(0);
}

/** Throws, naming them, if anything was stopped since the last check. */
export function failOnBlockedConnections(): void {
  const blocked = takeBlockedConnections();
  if (blocked.length === 0) return;
  throw new Error(
    `Tests reach only loopback addresses, but this test tried:\n- ${blocked.join('\n- ')}`,
  );
}
