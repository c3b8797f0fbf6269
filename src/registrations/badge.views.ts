// The badge a verified seller puts on their shop, and the QR code of their
// seller page (SVG, and PNG to download), both drawn only for a genuine link.
// The badge names the account exactly, so a buyer can compare it with what
// they are asked to pay; and since it is served from here, a revoked seller's badge turns into
// "not verified" wherever it is shown.
import { lazyRequire } from '../shared/lazy-require.ts';
import { formatAccountNumber } from '../http/format.ts';
import type { Lang } from '../shared/i18n.ts';
import { t } from '../shared/messages.ts';
import type { VerifiedSellerView } from './registrations.service.ts';

/** The QR code maker, loaded when a seller's proof is first drawn. */
const qrcode = lazyRequire<typeof import('qrcode')>('qrcode');

export const badgeSize = { width: 360, height: 104 } as const;

function escapeXml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** Cut to fit the badge's line, by characters (not bytes), with an ellipsis. */
function fit(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

const font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif";

const colours = {
  genuine: { text: '#14532d', line: '#1e7a46', background: '#e6f4eb' },
  not_verified: { text: '#8c1d18', line: '#b3261e', background: '#fdeceb' },
} as const;

const shield = 'M12 3 4.5 6v5.5c0 4.6 3.1 8.3 7.5 9.5 4.4-1.2 7.5-4.9 7.5-9.5V6L12 3z';
const tick = 'm8.5 12 2.5 2.5 4.5-5';
const cross = 'm9.5 9.5 5 5m0-5-5 5';

function frame(
  kind: keyof typeof colours,
  label: string,
  lines: readonly { text: string; size: number; bold?: boolean; mono?: boolean }[],
): string {
  const c = colours[kind];
  const { width, height } = badgeSize;
  let y = 28;
  const texts = lines.map((line) => {
    const weight = line.bold ? ' font-weight="700"' : '';
    const family = line.mono ? 'ui-monospace, Menlo, Consolas, monospace' : font;
    const element =
      `<text x="76" y="${y}" font-family="${family}" font-size="${line.size}"` +
      `${weight} fill="${c.text}">${escapeXml(line.text)}</text>`;
    y += line.size + 8;
    return element;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"`,
    ` viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(label)}">`,
    `<title>${escapeXml(label)}</title>`,
    `<rect x="1" y="1" width="${width - 2}" height="${height - 2}" rx="10"`,
    ` fill="${c.background}" stroke="${c.line}" stroke-width="2"/>`,
    `<g transform="translate(14 22) scale(2.5)" fill="none" stroke="${c.line}"`,
    ` stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">`,
    `<path d="${shield}"/><path d="${kind === 'genuine' ? tick : cross}"/></g>`,
    ...texts,
    '</svg>',
  ].join('');
}

/** The badge of a genuine seller link. */
export function genuineBadge(lang: Lang, seller: VerifiedSellerView): string {
  const account = `${seller.account.provider.shortName} ${formatAccountNumber(seller.account)}`;
  const title = t(lang, 'sellerBadge.verified');
  return frame('genuine', `${title}: ${seller.businessName}, ${account}`, [
    { text: title, size: 15, bold: true },
    { text: fit(seller.businessName, 30), size: 15 },
    { text: fit(account, 30), size: 15, mono: true },
    { text: t(lang, 'sellerBadge.check'), size: 11 },
  ]);
}

/** The badge of a link that is not genuine, or whose seller is no longer verified. */
export function notVerifiedBadge(lang: Lang): string {
  const title = t(lang, 'sellerBadge.notVerified');
  return frame('not_verified', title, [
    { text: title, size: 15, bold: true },
    { text: t(lang, 'sellerBadge.notVerified.text'), size: 13 },
    { text: t(lang, 'sellerBadge.notVerified.advice'), size: 13 },
  ]);
}

const qrLook = {
  errorCorrectionLevel: 'M',
  margin: 2,
  color: { dark: '#1a1f2b', light: '#ffffff' },
} as const;

/** The QR code of a seller page, as SVG. */
export function qrCodeSvg(url: string): Promise<string> {
  return qrcode().toString(url, { ...qrLook, type: 'svg' });
}

/** Wide enough to print sharp on a flyer or a shop's counter card. */
export const qrPngWidth = 720;

/** The QR code of a seller page, as PNG: for chat apps and printers that take no SVG. */
export function qrCodePng(url: string): Promise<Buffer> {
  return qrcode().toBuffer(url, { ...qrLook, type: 'png', width: qrPngWidth });
}
