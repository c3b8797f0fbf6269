// One delivery attempt over HTTP: POST the body with the Standard Webhooks
// headers, through guardedLookup (every address checked, the socket pinned to
// a checked one), never following a redirect, within a deadline that covers
// connecting, sending and the answer's headers. The answer's body is never
// read into memory nor recorded: only its status counts.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPublicAddress } from './url-safety.ts';

export interface Outgoing {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface AttemptResult {
  /** The HTTP status answered, null when none came. */
  readonly status: number | null;
  /** 2xx: delivered. */
  readonly ok: boolean;
  /** Why it failed, in a few words (never the response body). */
  readonly error: string | null;
  readonly latencyMs: number;
}

export interface SenderOptions {
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
}

const maxDrainedBytes = 64 * 1024;

export type Send = (outgoing: Outgoing) => Promise<AttemptResult>;

function errorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === 'EADDRNOTPUBLIC') return 'address not allowed';
    return `connection failed (${code.replace(/[^\w]/g, '').slice(0, 40)})`;
  }
  return 'connection failed';
}

/** A sender with its own keep-alive agents: one per worker. */
export function createSender(options: SenderOptions): { send: Send; close(): void } {
  const active = new Set<http.ClientRequest>();
  const lookup = guardedLookup(options.allowPrivate);
  const agentOptions = { keepAlive: true, maxSockets: 64, lookup };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  function send(outgoing: Outgoing): Promise<AttemptResult> {
    const begun = performance.now();
    const elapsed = () => Math.round(performance.now() - begun);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: Omit<AttemptResult, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...result, latencyMs: elapsed() });
      };
      let url: URL;
      try {
        url = new URL(outgoing.url);
      } catch {
        finish({ status: null, ok: false, error: 'invalid url' });
        return;
      }
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      // An address in the URL is never looked up: it is checked here instead.
      if (isIP(host) !== 0 && !options.allowPrivate && !isPublicAddress(host)) {
        finish({ status: null, ok: false, error: 'address not allowed' });
        return;
      }
      if (url.protocol !== 'https:' && !(options.allowPrivate && url.protocol === 'http:')) {
        finish({ status: null, ok: false, error: 'scheme not allowed' });
        return;
      }
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(url, {
        method: 'POST',
        agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
        lookup,
        headers: {
          ...outgoing.headers,
          'content-length': String(Buffer.byteLength(outgoing.body)),
        },
      });
      active.add(request);
      request.on('close', () => active.delete(request));
      const timer = setTimeout(() => {
        finish({ status: null, ok: false, error: `timeout after ${options.timeoutMs} ms` });
        request.destroy();
      }, options.timeoutMs);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        // Read and drop the body so the connection can be used again; a body
        // that is too long or too slow costs the connection instead.
        let bytes = 0;
        const drop = setTimeout(() => response.destroy(), options.timeoutMs);
        drop.unref();
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxDrainedBytes) response.destroy();
        });
        response.on('close', () => clearTimeout(drop));
        response.on('error', () => undefined);
        if (status >= 200 && status < 300) {
          finish({ status, ok: true, error: null });
        } else if (status >= 300 && status < 400) {
          finish({ status, ok: false, error: 'redirect not followed' });
        } else {
          finish({ status, ok: false, error: `answered ${status}` });
        }
      });
      request.on('error', (error) => finish({ status: null, ok: false, error: errorText(error) }));
      request.end(outgoing.body);
    });
  }

  return {
    send,
    /** Ends every connection, the sends in flight too (they fail with a connection error). */
    close() {
      for (const request of active) request.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
