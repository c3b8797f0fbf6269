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

export type SellerAsset = 'page' | 'qr' | 'badge';

const assetSuffix: Record<SellerAsset, string> = {
  page: '',
  qr: '/qr.svg',
  badge: '/lencana.svg',
};

/** The seller page (or its QR code, or its badge) of a registration, signed. */
export function sellerPagePath(publicId: string, signature: string, asset: SellerAsset = 'page') {
  const query = new URLSearchParams({ sig: signature });
  return `/penjual/${encodeURIComponent(publicId)}${assetSuffix[asset]}?${query.toString()}`;
}

/** A registration in the back office, or one of its actions. */
export function registrationPath(id: number, action?: string): string {
  return `${registrationPaths.queue}/${id}${action ? `/${action}` : ''}`;
}
