// Texts of watched accounts (the watches API's refusals and the admin's view
// of a partner's watches), in Indonesian (the default) and English; merged
// into the one catalogue of messages.ts.
export const idWatches = {
  'problem.invalid_hash.title': 'Hash tidak valid',
  'problem.invalid_hash.detail':
    'Setiap hash harus SHA-256 dari kunci kanonis rekening: 64 karakter heksadesimal. Hash yang salah ada di urutan {indexes}.',
  'problem.too_many_hashes.title': 'Terlalu banyak hash',
  'problem.too_many_hashes.detail': 'Kirim paling banyak {max} hash dalam satu permintaan.',
  'problem.not_provider_partner.title': 'Hanya untuk bank dan e-wallet',
  'problem.not_provider_partner.detail':
    'Hanya mitra bank atau e-wallet yang dapat memantau semua rekening kode banknya.',
  'problem.no_provider_codes.title': 'Belum ada kode bank atau e-wallet',
  'problem.no_provider_codes.detail':
    'Admin cekrek belum menetapkan kode bank atau e-wallet untuk mitra ini; hubungi kami.',
  'watch.hash_invalid': 'Bukan 64 karakter heksadesimal.',
  'watch.cursor_invalid': 'Cursor tidak dikenal: pakai nextCursor dari jawaban sebelumnya.',
  'admin.partners.watches': 'Pantauan',
  'admin.partners.watches.hashes': 'Rekening dipantau (hash)',
  'admin.partners.watches.providers': 'Memantau semua rekening kode banknya',
  'admin.partners.watches.providers.yes': 'Ya: {codes}',
  'admin.partners.watches.providers.no': 'Tidak',
} as const;

export const enWatches: Record<keyof typeof idWatches, string> = {
  'problem.invalid_hash.title': 'Invalid hash',
  'problem.invalid_hash.detail':
    'Each hash must be the SHA-256 of an account’s canonical key: 64 hexadecimal characters. The wrong ones are at positions {indexes}.',
  'problem.too_many_hashes.title': 'Too many hashes',
  'problem.too_many_hashes.detail': 'Send at most {max} hashes in one request.',
  'problem.not_provider_partner.title': 'For banks and e-wallets only',
  'problem.not_provider_partner.detail':
    'Only a bank or e-wallet partner can watch every account of its provider codes.',
  'problem.no_provider_codes.title': 'No bank or e-wallet codes yet',
  'problem.no_provider_codes.detail':
    'cekrek’s admins have not assigned bank or e-wallet codes to this partner yet; contact us.',
  'watch.hash_invalid': 'Not 64 hexadecimal characters.',
  'watch.cursor_invalid': 'Unknown cursor: use nextCursor from the previous answer.',
  'admin.partners.watches': 'Watches',
  'admin.partners.watches.hashes': 'Accounts watched (by hash)',
  'admin.partners.watches.providers': 'Watches every account of its provider codes',
  'admin.partners.watches.providers.yes': 'Yes: {codes}',
  'admin.partners.watches.providers.no': 'No',
};
