// The mail a partner gets when one of its webhook endpoints is disabled:
// Indonesian first, English below. It names the endpoint by its id and host
// only (a URL's path or query may carry the receiver's own token).
import type { MailMessage } from '../mail/mailer.ts';
import type { WebhookDisabledReason } from '../db/schema.ts';
import type { EndpointRecord } from './webhooks.repository.ts';

const reasons: Record<WebhookDisabledReason, { id: string; en: string }> = {
  gone: {
    id: 'penerima menjawab 410 Gone, yang berarti endpoint ini tidak lagi dipakai',
    en: 'the receiver answered 410 Gone, which means the endpoint is no longer in use',
  },
  failing: {
    id: 'setiap percobaan pengiriman ke endpoint ini gagal selama 5 hari',
    en: 'every attempt to deliver to it failed for 5 days',
  },
  partner: { id: 'endpoint ini dihapus', en: 'it was deleted' },
};

function utc(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function disabledMail(input: {
  readonly name: string;
  readonly email: string;
  readonly endpoint: EndpointRecord;
  readonly reason: WebhookDisabledReason;
  readonly at: Date;
  readonly failingSince: Date;
}): MailMessage {
  const { endpoint, reason, at } = input;
  const host = new URL(endpoint.url).host;
  const why = reasons[reason];
  const text = [
    `Yth. ${input.name},`,
    '',
    `Endpoint webhook ${endpoint.publicId} (${host}) dinonaktifkan pada ${utc(at)} karena ${why.id}.`,
    `Gagal sejak: ${utc(input.failingSince)}.`,
    'Pengiriman yang masih tertunda ke endpoint ini tidak akan dikirim lagi. Setelah penerima Anda siap,',
    'daftarkan endpoint baru dengan POST /api/v1/partner/webhooks (kunci dengan cakupan watch).',
    'Riwayat pengiriman dan setiap percobaannya tetap dapat dilihat dengan',
    `GET /api/v1/partner/webhooks/${endpoint.publicId}/deliveries.`,
    '',
    '— cekrek',
    '',
    '----',
    '',
    `Dear ${input.name},`,
    '',
    `The webhook endpoint ${endpoint.publicId} (${host}) was disabled on ${utc(at)} because ${why.en}.`,
    `Failing since: ${utc(input.failingSince)}.`,
    'Deliveries still pending for it will not be sent. Once your receiver is ready, register a new',
    'endpoint with POST /api/v1/partner/webhooks (a key with the watch scope). The deliveries and',
    `each of their attempts remain listed at GET /api/v1/partner/webhooks/${endpoint.publicId}/deliveries.`,
    '',
    '— cekrek',
  ].join('\n');
  return {
    to: input.email,
    subject: `Webhook cekrek dinonaktifkan / cekrek webhook disabled: ${endpoint.publicId}`,
    text,
  };
}
