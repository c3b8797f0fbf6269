// The e-mails cekrek sends, in Indonesian (the default) and English, chosen
// by the recipient's language. Each is plain text with a simple HTML
// alternative; every value is escaped in the HTML, and values never reach a
// header except the ticket (ours) in the subject.
import { format, type Lang } from '../shared/i18n.ts';
import type { NormalizationStatus, RegistrationStatus, ReportStatus } from '../db/schema.ts';

export type RequestKind = 'report' | 'registration' | 'normalization';
export type RequestStatus = ReportStatus | RegistrationStatus | NormalizationStatus;

export type MailTemplate =
  | { readonly kind: 'report_received'; readonly ticket: string }
  | {
      readonly kind: 'report_decided';
      readonly ticket: string;
      readonly decision: 'verified' | 'rejected';
      /** Shown to the reporter when the report is rejected. */
      readonly reason?: string;
    }
  | {
      readonly kind: 'status_changed';
      readonly ticket: string;
      readonly request: RequestKind;
      readonly status: RequestStatus;
      readonly note?: string;
    }
  | {
      readonly kind: 'tracking_code_renewed';
      readonly ticket: string;
      /** The tracking page with the ticket and its new code: the one mail that carries a code. */
      readonly trackingUrl: string;
    }
  | {
      readonly kind: 'mediation_scheduled';
      readonly ticket: string;
      readonly scheduledAt: Date;
      /** An address for a meeting in person. */
      readonly place?: string;
      /** A video-call link for a meeting online. */
      readonly link?: string;
      readonly note?: string;
    };

export interface MailContext {
  /** Where the public site is, e.g. https://cekrek.example.id; links start here. */
  readonly publicBaseUrl: string;
  /** How the site names itself in the footer. */
  readonly siteName?: string;
  /** IANA zone for times in the text; Indonesia's western zone by default. */
  readonly timeZone?: string;
}

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const id = {
  greeting: 'Halo,',
  footer: 'E-mail ini dikirim otomatis oleh {site}. Mohon tidak membalas e-mail ini.',
  trackLabel: 'Lacak status tiket Anda',
  trackHint:
    'Untuk melihat statusnya, buka tautan di bawah dan masukkan kode pelacakan yang Anda terima saat mengirim.',
  'report_received.subject': 'Laporan Anda telah kami terima — tiket {ticket}',
  'report_received.body':
    'Terima kasih. Laporan Anda telah kami terima dengan nomor tiket {ticket}.',
  'report_received.next':
    'Petugas akan memeriksa laporan dan bukti yang Anda kirim. Kami mengirim e-mail setiap kali statusnya berubah.',
  'report_verified.subject': 'Laporan {ticket} telah diverifikasi',
  'report_verified.body':
    'Laporan Anda dengan nomor tiket {ticket} telah diverifikasi petugas dan kini dihitung pada hasil cek rekening.',
  'report_rejected.subject': 'Laporan {ticket} tidak dapat diverifikasi',
  'report_rejected.body':
    'Laporan Anda dengan nomor tiket {ticket} tidak dapat diverifikasi petugas, sehingga tidak dihitung pada hasil cek rekening.',
  reason: 'Alasan: {reason}',
  'status_changed.subject': '{request} {ticket}: status kini {status}',
  'status_changed.body':
    'Status {requestInSentence} Anda dengan nomor tiket {ticket} berubah menjadi: {status}.',
  'received.subject': '{request} Anda telah kami terima — tiket {ticket}',
  'received.body': 'Terima kasih. {request} Anda telah kami terima dengan nomor tiket {ticket}.',
  note: 'Catatan dari petugas: {note}',
  paragraph: '{text}',
  'mediation_scheduled.subject': 'Jadwal mediasi untuk tiket {ticket}',
  'mediation_scheduled.body': 'Petugas telah menjadwalkan mediasi terkait tiket {ticket}.',
  'mediation_scheduled.time': 'Waktu: {time}',
  'mediation_scheduled.place': 'Tempat: {place}',
  'mediation_scheduled.link': 'Tautan pertemuan daring: {link}',
  'tracking_code_renewed.subject': 'Kode pelacakan baru untuk tiket {ticket}',
  'tracking_code_renewed.body':
    'Anda meminta kode pelacakan baru untuk tiket {ticket}. Kode yang lama tidak berlaku lagi. Buka tautan di bawah untuk melihat status tiket Anda; simpan tautan ini, karena tautan ini memuat kode pelacakan Anda.',
  'tracking_code_renewed.notYou':
    'Jika Anda tidak memintanya, abaikan e-mail ini: hanya pemilik alamat e-mail ini yang menerima kode baru.',
  trackWithCode: 'Lihat status tiket',
  'request.report': 'Laporan',
  'request.registration': 'Pendaftaran rekening',
  'request.normalization': 'Permohonan normalisasi',
  'requestInSentence.report': 'laporan',
  'requestInSentence.registration': 'pendaftaran rekening',
  'requestInSentence.normalization': 'permohonan normalisasi',
  'status.submitted': 'Diterima, menunggu pemeriksaan',
  'status.in_review': 'Sedang ditinjau',
  'status.verified': 'Terverifikasi',
  'status.rejected': 'Ditolak',
  'status.normalized': 'Dinormalisasi',
  'status.approved': 'Disetujui',
  'status.revoked': 'Dicabut',
  'status.mediation': 'Mediasi',
  'status.proposed': 'Keputusan menunggu konfirmasi',
  'status.granted': 'Dikabulkan',
  'status.denied': 'Tidak dikabulkan',
} as const;

type Key = keyof typeof id;

const en: Record<Key, string> = {
  greeting: 'Hello,',
  footer: 'This e-mail was sent automatically by {site}. Please do not reply to it.',
  trackLabel: 'Track your ticket',
  trackHint:
    'To see its status, open the link below and enter the tracking code you received when you submitted it.',
  'report_received.subject': 'Your report was received — ticket {ticket}',
  'report_received.body': 'Thank you. We received your report under ticket number {ticket}.',
  'report_received.next':
    'Staff will review the report and the evidence you sent. We e-mail you whenever its status changes.',
  'report_verified.subject': 'Report {ticket} has been verified',
  'report_verified.body':
    'Your report with ticket number {ticket} has been verified by staff and now counts in check results.',
  'report_rejected.subject': 'Report {ticket} could not be verified',
  'report_rejected.body':
    'Your report with ticket number {ticket} could not be verified by staff, so it does not count in check results.',
  reason: 'Reason: {reason}',
  'status_changed.subject': '{request} {ticket}: status is now {status}',
  'status_changed.body':
    'The status of your {requestInSentence} with ticket number {ticket} changed to: {status}.',
  'received.subject': 'Your {requestInSentence} was received — ticket {ticket}',
  'received.body': 'Thank you. We received your {requestInSentence} under ticket number {ticket}.',
  note: 'Note from our staff: {note}',
  paragraph: '{text}',
  'mediation_scheduled.subject': 'Mediation scheduled for ticket {ticket}',
  'mediation_scheduled.body': 'Staff have scheduled a mediation about ticket {ticket}.',
  'mediation_scheduled.time': 'Time: {time}',
  'mediation_scheduled.place': 'Place: {place}',
  'mediation_scheduled.link': 'Online meeting link: {link}',
  'tracking_code_renewed.subject': 'New tracking code for ticket {ticket}',
  'tracking_code_renewed.body':
    'You asked for a new tracking code for ticket {ticket}. The old code no longer works. Open the link below to see your ticket; keep it, because it carries your tracking code.',
  'tracking_code_renewed.notYou':
    'If you did not ask for it, ignore this e-mail: only the owner of this address receives the new code.',
  trackWithCode: 'See the ticket',
  'request.report': 'Report',
  'request.registration': 'Seller registration',
  'request.normalization': 'Normalization request',
  'requestInSentence.report': 'report',
  'requestInSentence.registration': 'seller account registration',
  'requestInSentence.normalization': 'normalization request',
  'status.submitted': 'Received, awaiting review',
  'status.in_review': 'In review',
  'status.verified': 'Verified',
  'status.rejected': 'Rejected',
  'status.normalized': 'Normalized',
  'status.approved': 'Approved',
  'status.revoked': 'Revoked',
  'status.mediation': 'In mediation',
  'status.proposed': 'Decision awaiting confirmation',
  'status.granted': 'Granted',
  'status.denied': 'Denied',
};

const catalogs: Record<Lang, Record<Key, string>> = { id, en };
const locales: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

/** One paragraph: a catalog text and the values it names. */
interface Paragraph {
  readonly key: Key;
  readonly values?: Readonly<Record<string, string>>;
}

interface Composition {
  readonly subject: Paragraph;
  readonly paragraphs: readonly Paragraph[];
  readonly link?: { readonly label: Key; readonly url: string };
}

/** The page where a ticket is followed; it asks for the tracking code, which mail never carries. */
export function ticketTrackingUrl(publicBaseUrl: string, ticket: string): string {
  const url = new URL('/lacak', publicBaseUrl);
  url.searchParams.set('tiket', ticket);
  return url.toString();
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A header line must stay one line, whatever an operator typed. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function isWebLink(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

function formatTime(at: Date, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(locales[lang], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}

function optional(key: Key, name: string, value: string | undefined): Paragraph[] {
  const trimmed = value?.trim();
  return trimmed ? [{ key, values: { [name]: trimmed } }] : [];
}

/**
 * A request just filed says it was received, not that its status "is now
 * Received" ("diterima" also reads as "accepted"); the note here is the
 * system's word on what comes next, so it carries no "note from our staff".
 */
function receipt(
  values: Readonly<Record<string, string>>,
  note: string | undefined,
  link: NonNullable<Composition['link']>,
): Composition {
  return {
    subject: { key: 'received.subject', values },
    paragraphs: [
      { key: 'received.body', values },
      ...optional('paragraph', 'text', note),
      { key: 'trackHint' },
    ],
    link,
  };
}

function compose(
  template: MailTemplate,
  lang: Lang,
  context: MailContext,
  t: Record<Key, string>,
): Composition {
  const ticket = { ticket: template.ticket };
  const track = {
    label: 'trackLabel' as const,
    url: ticketTrackingUrl(context.publicBaseUrl, template.ticket),
  };
  switch (template.kind) {
    case 'report_received':
      return {
        subject: { key: 'report_received.subject', values: ticket },
        paragraphs: [
          { key: 'report_received.body', values: ticket },
          { key: 'report_received.next' },
          { key: 'trackHint' },
        ],
        link: track,
      };
    case 'report_decided': {
      const verified = template.decision === 'verified';
      return {
        subject: {
          key: verified ? 'report_verified.subject' : 'report_rejected.subject',
          values: ticket,
        },
        paragraphs: [
          { key: verified ? 'report_verified.body' : 'report_rejected.body', values: ticket },
          ...(verified ? [] : optional('reason', 'reason', template.reason)),
        ],
        link: track,
      };
    }
    case 'status_changed': {
      const values = {
        ...ticket,
        request: t[`request.${template.request}`],
        requestInSentence: t[`requestInSentence.${template.request}`],
        status: t[`status.${template.status}`],
      };
      if (template.status === 'submitted') return receipt(values, template.note, track);
      return {
        subject: { key: 'status_changed.subject', values },
        paragraphs: [
          { key: 'status_changed.body', values },
          ...optional('note', 'note', template.note),
          { key: 'trackHint' },
        ],
        link: track,
      };
    }
    case 'tracking_code_renewed':
      return {
        subject: { key: 'tracking_code_renewed.subject', values: ticket },
        paragraphs: [
          { key: 'tracking_code_renewed.body', values: ticket },
          { key: 'tracking_code_renewed.notYou' },
        ],
        link: { label: 'trackWithCode', url: template.trackingUrl },
      };
    case 'mediation_scheduled': {
      const time = formatTime(template.scheduledAt, lang, context.timeZone ?? 'Asia/Jakarta');
      const link = template.link !== undefined && isWebLink(template.link) ? template.link : '';
      return {
        subject: { key: 'mediation_scheduled.subject', values: ticket },
        paragraphs: [
          { key: 'mediation_scheduled.body', values: ticket },
          { key: 'mediation_scheduled.time', values: { time } },
          ...optional('mediation_scheduled.place', 'place', template.place),
          ...optional('mediation_scheduled.link', 'link', link),
          ...optional('note', 'note', template.note),
        ],
        link: track,
      };
    }
  }
}

function paragraphText(paragraph: Paragraph, t: Record<Key, string>): string {
  return format(t[paragraph.key], paragraph.values);
}

/** Escapes the catalog text and every value, keeps line breaks, and makes the web link a link. */
function paragraphHtml(paragraph: Paragraph, t: Record<Key, string>): string {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(paragraph.values ?? {})) {
    const escaped = escapeHtml(value).replaceAll('\n', '<br>');
    values[name] = name === 'link' ? `<a href="${escapeHtml(value)}">${escaped}</a>` : escaped;
  }
  return `<p>${format(escapeHtml(t[paragraph.key]), values)}</p>`;
}

export function renderMail(template: MailTemplate, lang: Lang, context: MailContext): RenderedMail {
  const t = catalogs[lang];
  const composition = compose(template, lang, context, t);
  const footer = format(t.footer, { site: context.siteName ?? 'cekrek' });
  const subject = oneLine(paragraphText(composition.subject, t));
  const link = composition.link;

  const text = [
    t.greeting,
    ...composition.paragraphs.map((p) => paragraphText(p, t)),
    ...(link ? [`${t[link.label]}:\n${link.url}`] : []),
    `-- \n${footer}`,
  ].join('\n\n');

  const html = [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em;">',
    `<p>${escapeHtml(t.greeting)}</p>`,
    ...composition.paragraphs.map((p) => paragraphHtml(p, t)),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(t[link.label])}</a></p>`] : []),
    `<p style="color: #555; font-size: small;">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject, text: `${text}\n`, html: `${html}\n` };
}
