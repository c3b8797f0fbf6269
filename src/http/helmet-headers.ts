// Helmet's headers as a fixed set: Helmet is run once against a recording
// response, so every request gets the same headers without re-deriving them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export interface HelmetHeaders {
  /** Every header but HSTS, for every page. */
  readonly headers: Readonly<Record<string, string>>;
  /** The Strict-Transport-Security value, for HTTPS only. */
  readonly hsts: string;
}

export function helmetHeaders(options: HelmetOptions): HelmetHeaders {
  const recorded = new Map<string, string>();
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
      return response;
    },
    removeHeader(name: string) {
      recorded.delete(name.toLowerCase());
    },
  };
  let failure: unknown;
  helmet(options)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      failure = error;
    },
  );
  if (failure) throw failure instanceof Error ? failure : new Error('helmet refused its options');
  const hsts = recorded.get('strict-transport-security');
  if (!hsts) throw new Error('helmet gave no Strict-Transport-Security header');
  recorded.delete('strict-transport-security');
  return { headers: Object.fromEntries(recorded), hsts };
}
