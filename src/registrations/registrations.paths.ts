// Where the seller registration pages live: the public form, the seller's
// proof, the seller page with its QR code and badge, and the registrar's
// back-office pages. One list, so links and routes cannot drift apart.
export const registrationPaths = {
  /** The public registration form. */
  form: '/daftar-penjual',
  /** Where a seller with a ticket and tracking code gets their link, QR code and badge. */
  proof: '/daftar-penjual/bukti',
  /** The registrar's queue. */
  queue: '/admin/pendaftaran',
} as const;

export type SellerAsset = 'page' | 'qr' | 'qrPng' | 'badge';

const assetSuffix: Record<SellerAsset, string> = {
  page: '',
  qr: '/qr.svg',
  qrPng: '/qr.png',
  badge: '/lencana.svg',
};

/** The query flag that serves an image as a file to save rather than to show. */
export const downloadParam = 'unduh';

/**
 * The seller page (or its QR code, or its badge) of a registration, signed;
 * `download` asks for the image as a file to save.
 */
export function sellerPagePath(
  publicId: string,
  signature: string,
  asset: SellerAsset = 'page',
  options: { readonly download?: boolean } = {},
) {
  const query = new URLSearchParams({ sig: signature });
  if (options.download) query.set(downloadParam, '1');
  return `/penjual/${encodeURIComponent(publicId)}${assetSuffix[asset]}?${query.toString()}`;
}

/** The name check's place on the seller page, where a buyer coming from the check lands. */
export const nameCheckAnchor = 'cek-nama';

/** A registration in the back office, or one of its actions. */
export function registrationPath(id: number, action?: string): string {
  return `${registrationPaths.queue}/${id}${action ? `/${action}` : ''}`;
}
