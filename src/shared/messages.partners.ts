// Texts of partners and their API keys (the keyed API's refusals, the admin's
// pages and API), in Indonesian (the default) and English; merged into the one
// catalogue of messages.ts.
export const idPartners = {
  'problem.invalid_api_key.title': 'Kunci API tidak valid',
  'problem.invalid_api_key.detail':
    'Kirim kunci API yang aktif di header Authorization: Bearer <kunci>.',
  'problem.insufficient_scope.title': 'Cakupan kunci tidak cukup',
  'problem.insufficient_scope.detail': 'Kunci API ini tidak mencakup tindakan ini ({scope}).',
  'problem.already_decided.detail.key': 'Kunci ini sudah dicabut atau kedaluwarsa.',
  'admin.permission.partners.manage': 'Mengelola mitra dan kunci API',
  'admin.audit.action.partner.created': 'Mitra ditambahkan',
  'admin.audit.action.partner.updated': 'Data atau batas mitra diubah',
  'admin.audit.action.partner.key_issued': 'Kunci API diterbitkan',
  'admin.audit.action.partner.key_rolled': 'Kunci API diganti (yang lama berlaku sementara)',
  'admin.audit.action.partner.key_revoked': 'Kunci API dicabut',
  'partner.name_invalid': 'Isi nama mitra (paling banyak 200 karakter).',
  'partner.label_invalid': 'Isi label kunci (paling banyak 100 karakter).',
  'partner.scopes_required': 'Pilih paling sedikit satu cakupan.',
  'partner.provider_unknown': 'Ada kode bank atau e-wallet yang tidak dikenal.',
  'partner.expiry_past': 'Tanggal kedaluwarsa harus di masa depan.',
};

export const enPartners: Record<keyof typeof idPartners, string> = {
  'problem.invalid_api_key.title': 'Invalid API key',
  'problem.invalid_api_key.detail':
    'Send an active API key in the Authorization header: Bearer <key>.',
  'problem.insufficient_scope.title': 'Insufficient scope',
  'problem.insufficient_scope.detail': 'This API key does not cover this action ({scope}).',
  'problem.already_decided.detail.key': 'This key is already revoked or expired.',
  'admin.permission.partners.manage': 'Manage partners and API keys',
  'admin.audit.action.partner.created': 'Partner added',
  'admin.audit.action.partner.updated': 'Partner details or limits changed',
  'admin.audit.action.partner.key_issued': 'API key issued',
  'admin.audit.action.partner.key_rolled': 'API key replaced (the old one works for a while)',
  'admin.audit.action.partner.key_revoked': 'API key revoked',
  'partner.name_invalid': 'Enter the partner’s name (at most 200 characters).',
  'partner.label_invalid': 'Enter a label for the key (at most 100 characters).',
  'partner.scopes_required': 'Choose at least one scope.',
  'partner.provider_unknown': 'A bank or e-wallet code is not known.',
  'partner.expiry_past': 'The expiry date must be in the future.',
};
