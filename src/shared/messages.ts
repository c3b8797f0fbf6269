// Every human text of the API and the public pages, in Indonesian (the
// default) and English. `en` must have every key `id` has: the type says so.
import { format, type Lang } from './i18n.ts';
import type { ErrorCode } from './errors.ts';

const id = {
  'problem.bad_request.title': 'Permintaan tidak valid',
  'problem.validation_failed.title': 'Data yang dikirim tidak valid',
  'problem.invalid_provider.title': 'Bank atau e-wallet tidak dikenal',
  'problem.invalid_account_number.title': 'Nomor rekening tidak valid',
  'problem.not_found.title': 'Tidak ditemukan',
  'problem.method_not_allowed.title': 'Metode tidak diizinkan',
  'problem.uri_too_long.title': 'Alamat terlalu panjang',
  'problem.payload_too_large.title': 'Data yang dikirim terlalu besar',
  'problem.unsupported_media_type.title': 'Jenis konten tidak didukung',
  'problem.rate_limited.title': 'Terlalu banyak permintaan',
  'problem.service_unavailable.title': 'Layanan sedang tidak tersedia',
  'problem.internal_error.title': 'Terjadi kesalahan pada server',

  'problem.invalid_provider.detail':
    'Kode bank atau nama e-wallet tidak dikenal. Lihat daftar di /api/v1/providers.',
  'problem.invalid_account_number.detail': 'Periksa kembali nomor rekening atau nomor ponsel.',
  'problem.not_found.detail': 'Alamat yang diminta tidak ada.',
  'problem.rate_limited.detail': 'Batas permintaan tercapai. Coba lagi dalam {seconds} detik.',
  'problem.payload_too_large.detail': 'Ukuran data melebihi batas yang diizinkan.',
  'problem.unsupported_media_type.detail': 'Kirim data dengan jenis konten yang didukung.',
  'problem.internal_error.detail':
    'Silakan coba lagi nanti. Sebutkan nomor permintaan {requestId}.',
  'problem.service_unavailable.detail': 'Silakan coba lagi beberapa saat lagi.',
  'problem.validation_failed.detail': 'Periksa kembali isian yang ditandai.',
  'problem.bad_request.detail': 'Permintaan tidak dapat diproses.',
  'problem.method_not_allowed.detail': 'Metode HTTP ini tidak didukung untuk alamat ini.',
  'problem.uri_too_long.detail': 'Alamat atau parameter permintaan melebihi batas panjang.',

  'provider.unknown': 'Pilih bank atau e-wallet dari daftar.',
  'number.empty': 'Isi nomor rekening atau nomor ponsel.',
  'number.too_long': 'Nomor terlalu panjang: nomor rekening paling banyak 20 angka.',
  'number.too_short': 'Nomor terlalu pendek: nomor rekening paling sedikit 5 angka.',
  'number.not_digits':
    'Nomor hanya boleh berisi angka 0–9 (spasi, titik, dan tanda hubung boleh dipakai sebagai pemisah).',
  'number.not_mobile': 'Masukkan nomor ponsel Indonesia, misalnya 0812-3456-7890.',
};

export type MessageKey = keyof typeof id;

const en: Record<MessageKey, string> = {
  'problem.bad_request.title': 'Bad request',
  'problem.validation_failed.title': 'The submitted data is not valid',
  'problem.invalid_provider.title': 'Unknown bank or e-wallet',
  'problem.invalid_account_number.title': 'Invalid account number',
  'problem.not_found.title': 'Not found',
  'problem.method_not_allowed.title': 'Method not allowed',
  'problem.uri_too_long.title': 'URI too long',
  'problem.payload_too_large.title': 'Payload too large',
  'problem.unsupported_media_type.title': 'Unsupported media type',
  'problem.rate_limited.title': 'Too many requests',
  'problem.service_unavailable.title': 'Service unavailable',
  'problem.internal_error.title': 'Internal server error',

  'problem.invalid_provider.detail':
    'Unknown bank code or e-wallet name. See the list at /api/v1/providers.',
  'problem.invalid_account_number.detail': 'Check the account or phone number again.',
  'problem.not_found.detail': 'The requested address does not exist.',
  'problem.rate_limited.detail': 'Rate limit reached. Try again in {seconds} seconds.',
  'problem.payload_too_large.detail': 'The request body is larger than allowed.',
  'problem.unsupported_media_type.detail': 'Send the data with a supported content type.',
  'problem.internal_error.detail': 'Please try again later. Quote request id {requestId}.',
  'problem.service_unavailable.detail': 'Please try again in a moment.',
  'problem.validation_failed.detail': 'Check the highlighted fields.',
  'problem.bad_request.detail': 'The request could not be processed.',
  'problem.method_not_allowed.detail': 'This HTTP method is not supported at this address.',
  'problem.uri_too_long.detail': 'The address or its query is longer than allowed.',

  'provider.unknown': 'Choose a bank or e-wallet from the list.',
  'number.empty': 'Enter an account number or phone number.',
  'number.too_long': 'The number is too long: account numbers have at most 20 digits.',
  'number.too_short': 'The number is too short: account numbers have at least 5 digits.',
  'number.not_digits':
    'Use only the digits 0–9 (spaces, dots and dashes may be used as separators).',
  'number.not_mobile': 'Enter an Indonesian mobile number, e.g. 0812-3456-7890.',
};

const catalogs: Record<Lang, Record<MessageKey, string>> = { id, en };

export function isMessageKey(key: string): key is MessageKey {
  return key in id;
}

export function t(
  lang: Lang,
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
): string {
  return format(catalogs[lang][key], params);
}

/** Translates a message key, or returns plain text unchanged. */
export function translateReason(lang: Lang, reason: string): string {
  return isMessageKey(reason) ? t(lang, reason) : reason;
}

export function problemTitle(lang: Lang, code: ErrorCode): string {
  return t(lang, `problem.${code}.title`);
}

export function problemDetail(
  lang: Lang,
  code: ErrorCode,
  params?: Readonly<Record<string, string | number>>,
): string {
  return t(lang, `problem.${code}.detail`, params);
}
