// Messages of reports filed or imported by partners (Indonesian and English),
// merged into the catalogue of messages.ts.
export const idPartnerReports = {
  'problem.idempotency_key_reused.title': 'Idempotency-Key sudah dipakai',
  'problem.idempotency_key_reused.detail':
    'Idempotency-Key ini sudah dipakai untuk permintaan lain. Gunakan kunci baru untuk laporan baru.',
  'admin.review.source': 'Sumber',
  'admin.review.source.all': 'Semua sumber',
  'admin.review.source.public': 'Masyarakat',
  'admin.review.source.partner': 'Mitra',
  'admin.review.source.fromPartner': 'Mitra: {name}',
  'admin.review.source.anyPartner': 'Semua mitra',
} as const;

export const enPartnerReports: Record<keyof typeof idPartnerReports, string> = {
  'problem.idempotency_key_reused.title': 'Idempotency-Key already used',
  'problem.idempotency_key_reused.detail':
    'This Idempotency-Key was already used for a different request. Use a new key for a new report.',
  'admin.review.source': 'Source',
  'admin.review.source.all': 'All sources',
  'admin.review.source.public': 'The public',
  'admin.review.source.partner': 'Partner',
  'admin.review.source.fromPartner': 'Partner: {name}',
  'admin.review.source.anyPartner': 'All partners',
};
