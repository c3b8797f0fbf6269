// Just enough RFC 822/MIME to read the messages cekrek sends: headers, and the
// decoded text and HTML parts; and the outbox, where mail goes without SMTP.

export interface ParsedMessage {
  readonly headers: Map<string, string>;
  readonly text: string;
  readonly html: string;
}

function decodeQuotedPrintable(value: string): string {
  const bytes = value
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => `%${hex}`)
    .replace(/%(?![0-9A-F]{2})/g, '%25');
  return decodeURIComponent(bytes);
}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

/** The decoded part of this content type, or '' when the message has none. */
function partOf(body: string, type: 'text/plain' | 'text/html'): string {
  const start = body.search(new RegExp(`Content-Type: ${type}`, 'i'));
  if (start < 0) return '';
  const part = body.slice(start);
  const [head = '', ...rest] = part.split(/\r?\n\r?\n/);
  const content = rest.join('\n\n').split(/\r?\n--/)[0] ?? '';
  const encoding = /Content-Transfer-Encoding: ([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  const decoded =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(content)
      : encoding === 'base64'
        ? Buffer.from(content, 'base64').toString('utf8')
        : content;
  return decoded.replace(/\r\n/g, '\n');
}

export function parseMessage(raw: string): ParsedMessage {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    headers.set(
      line.slice(0, colon).toLowerCase(),
      decodeEncodedWords(line.slice(colon + 1).trim()),
    );
  }
  const body = rest.join('\n\n');
  return { headers, text: partOf(body, 'text/plain'), html: partOf(body, 'text/html') };
}

/** Every message in the runtime's outbox (sealed at rest), decrypted and parsed, oldest first. */
export function outboxMessages(runtime: { outbox(): string[] }): ParsedMessage[] {
  return runtime.outbox().map(parseMessage);
}

/** Every web address a message links to: in its text, and the HTML part's href targets. */
export function linksOf(message: ParsedMessage): string[] {
  const inText = message.text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
  const inHtml = [...message.html.matchAll(/href="([^"]+)"/g)].map((m) =>
    m[1]!.replaceAll('&amp;', '&'),
  );
  return [...new Set([...inText, ...inHtml])];
}
