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
      /** The reason's code, for what it means and what the reporter can still do. */
      readonly reasonCode?: string;
    }
  | {
      readonly kind: 'registration_decided';
      readonly ticket: string;
      readonly decision: 'approved' | 'rejected' | 'revoked';
      /** The reason in the seller's language (rejected, revoked). */
      readonly reason?: string;
      /** The reason's code, for what it means. */
      readonly reasonCode?: string;
      /** The signed seller page, once approved. */
      readonly sellerPage?: string;
      /** Where the seller gets the link, QR code and badge with ticket and tracking code. */
      readonly proofUrl?: string;
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
  'report_verified.means':
    'Artinya: siapa pun yang memeriksa rekening tersebut di situs kami kini melihatnya sebagai rekening yang dilaporkan.',
  'report_verified.next':
    'Yang masih dapat Anda lakukan: hubungi bank atau penyedia dompet elektronik Anda secepatnya untuk meminta pemblokiran dan menanyakan pengembalian dana, buat laporan ke kepolisian, dan simpan semua bukti (bukti transfer, tangkapan layar percakapan, nomor telepon dan akun pelaku). Laporan ini tidak menggantikan laporan ke bank atau kepolisian.',
  'report_rejected.means.insufficient_evidence':
    'Artinya: bukti yang Anda kirim belum cukup untuk memastikan bahwa rekening ini dipakai untuk penipuan, misalnya karena bukti transfer atau percakapan dengan pelaku tidak ada atau tidak terbaca.',
  'report_rejected.means.not_fraud':
    'Artinya: dari bukti yang ada, kejadiannya tampak sebagai sengketa biasa (misalnya barang terlambat atau tidak sesuai), bukan penipuan.',
  'report_rejected.means.duplicate':
    'Artinya: kejadian yang sama sudah dilaporkan, jadi laporan ini tidak dihitung dua kali. Laporan yang sudah ada tetap berlaku.',
  'report_rejected.means.wrong_account':
    'Artinya: nomor rekening dalam laporan tidak sama dengan nomor rekening pada bukti yang Anda kirim.',
  'report_rejected.means.false_report':
    'Artinya: petugas menilai laporan ini tidak sesuai dengan kenyataan.',
  'report_rejected.means.other':
    'Artinya: laporan ini tidak dapat diverifikasi karena alasan di atas.',
  'report_rejected.again':
    'Bila Anda memiliki bukti yang lebih lengkap (bukti transfer, tangkapan layar percakapan, iklan atau akun pelaku), Anda dapat mengirim laporan baru: {link}',
  'report_rejected.contact':
    'Bila ada pertanyaan tentang keputusan ini, hubungi layanan kami: {link}',
  'registration_approved.subject': 'Pendaftaran rekening {ticket}: Disetujui',
  'registration_approved.body':
    'Pendaftaran rekening Anda dengan nomor tiket {ticket} telah disetujui petugas. Artinya: rekening Anda kini tampil sebagai rekening penjual terverifikasi bagi siapa pun yang memeriksanya di situs kami.',
  'registration_approved.page': 'Halaman penjual Anda, untuk dibagikan kepada pembeli: {link}',
  'registration_approved.use':
    'Cara memakainya: bagikan tautan halaman penjual kepada pembeli, atau pasang kode QR atau lencana penjual di toko online dan media sosial Anda. Pembeli yang membuka tautan atau memindai kode QR melihat langsung di situs kami bahwa rekening Anda terverifikasi. Tautan, kode QR, dan lencana dapat Anda ambil kapan saja dengan nomor tiket dan kode pelacakan Anda: {link}',
  'registration_rejected.subject': 'Pendaftaran rekening {ticket}: Ditolak',
  'registration_rejected.body':
    'Pendaftaran rekening Anda dengan nomor tiket {ticket} tidak dapat disetujui petugas. Rekening Anda tidak tampil sebagai penjual terverifikasi.',
  'registration_revoked.subject': 'Pendaftaran rekening {ticket}: Dicabut',
  'registration_revoked.body':
    'Status penjual terverifikasi untuk rekening Anda (tiket {ticket}) telah dicabut. Artinya: rekening Anda tidak lagi tampil sebagai penjual terverifikasi, dan tautan, kode QR serta lencana penjual Anda tidak lagi menunjukkan status itu.',
  'registration.means.documents_unreadable':
    'Artinya: foto atau pindaian dokumen tidak cukup jelas untuk dibaca, misalnya buram, terpotong, atau terkena pantulan cahaya.',
  'registration.means.documents_mismatch':
    'Artinya: data yang Anda isi di formulir tidak sama dengan data pada dokumen yang Anda kirim.',
  'registration.means.holder_name_mismatch':
    'Artinya: nama pemilik rekening tidak sama dengan nama pada dokumen identitas atau izin usaha Anda.',
  'registration.means.permit_invalid':
    'Artinya: izin usaha yang Anda kirim tidak berlaku atau tidak dapat dipastikan.',
  'registration.means.account_reported':
    'Artinya: rekening ini memiliki laporan penipuan yang terverifikasi, sehingga tidak dapat ditampilkan sebagai penjual terverifikasi.',
  'registration.means.suspected_fraud':
    'Artinya: petugas menemukan tanda-tanda penipuan terkait rekening atau pendaftaran ini.',
  'registration.means.owner_request': 'Artinya: pemilik rekening meminta pencabutan ini.',
  'registration.means.other':
    'Artinya: pendaftaran ini tidak dapat disetujui karena alasan di atas.',
  'registration_rejected.again':
    'Anda dapat mendaftar lagi dengan data yang sesuai dan dokumen yang jelas dan masih berlaku: {link}',
  'registration.contact': 'Bila ada pertanyaan tentang keputusan ini, hubungi layanan kami: {link}',
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
  'report_verified.means':
    'This means: anyone who checks that account on our site now sees it as a reported account.',
  'report_verified.next':
    'What you can still do: contact your bank or e-wallet provider as soon as possible to ask for a block and about getting your money back, report the crime to the police, and keep all evidence (transfer receipts, screenshots of the conversation, the scammer’s phone numbers and accounts). This report does not replace a report to your bank or the police.',
  'report_rejected.means.insufficient_evidence':
    'This means: the evidence you sent is not enough to establish that the account was used for fraud, for example because a transfer receipt or the conversation with the scammer is missing or unreadable.',
  'report_rejected.means.not_fraud':
    'This means: from the evidence, what happened looks like an ordinary dispute (for example goods late or not as described), not fraud.',
  'report_rejected.means.duplicate':
    'This means: the same incident was already reported, so this report is not counted twice. The existing report still stands.',
  'report_rejected.means.wrong_account':
    'This means: the account number in the report is not the one in the evidence you sent.',
  'report_rejected.means.false_report':
    'This means: staff found that the report does not match the facts.',
  'report_rejected.means.other':
    'This means: the report could not be verified for the reason above.',
  'report_rejected.again':
    'If you have more complete evidence (transfer receipts, screenshots of the conversation, the scammer’s advert or account), you can submit a new report: {link}',
  'report_rejected.contact': 'If you have questions about this decision, contact us: {link}',
  'registration_approved.subject': 'Seller registration {ticket}: Approved',
  'registration_approved.body':
    'Your seller account registration with ticket number {ticket} has been approved by staff. This means: your account now shows as a verified seller to anyone who checks it on our site.',
  'registration_approved.page': 'Your seller page, to share with buyers: {link}',
  'registration_approved.use':
    'How to use it: share the seller page link with buyers, or put the QR code or the seller badge on your online shop and social media. Buyers who open the link or scan the QR code see on our own site that your account is verified. You can get the link, QR code and badge at any time with your ticket number and tracking code: {link}',
  'registration_rejected.subject': 'Seller registration {ticket}: Rejected',
  'registration_rejected.body':
    'Your seller account registration with ticket number {ticket} could not be approved by staff. Your account does not show as a verified seller.',
  'registration_revoked.subject': 'Seller registration {ticket}: Revoked',
  'registration_revoked.body':
    'The verified seller status of your account (ticket {ticket}) has been withdrawn. This means: your account no longer shows as a verified seller, and your seller link, QR code and badge no longer show that status.',
  'registration.means.documents_unreadable':
    'This means: the photo or scan of a document is not clear enough to read, for example blurred, cut off or with glare.',
  'registration.means.documents_mismatch':
    'This means: the details you entered in the form are not the same as those on the documents you sent.',
  'registration.means.holder_name_mismatch':
    'This means: the account holder’s name is not the name on your identity document or business permit.',
  'registration.means.permit_invalid':
    'This means: the business permit you sent is not valid or could not be confirmed.',
  'registration.means.account_reported':
    'This means: the account has verified fraud reports, so it cannot show as a verified seller.',
  'registration.means.suspected_fraud':
    'This means: staff found signs of fraud around this account or registration.',
  'registration.means.owner_request': 'This means: the account owner asked for this withdrawal.',
  'registration.means.other':
    'This means: the registration could not be approved for the reason above.',
  'registration_rejected.again':
    'You can register again with matching details and clear, valid documents: {link}',
  'registration.contact': 'If you have questions about this decision, contact us: {link}',
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

type ReportDecided = Extract<MailTemplate, { kind: 'report_decided' }>;
type RegistrationDecided = Extract<MailTemplate, { kind: 'registration_decided' }>;

/** A paragraph with a link on our own site (the report form, the contact page). */
function siteLink(key: Key, publicBaseUrl: string, path: string): Paragraph {
  return { key, values: { link: new URL(path, publicBaseUrl).toString() } };
}

/** "What the reason means", when the catalog explains that code. */
function meaning(prefix: string, code: string | undefined): Paragraph[] {
  const key = `${prefix}${code ?? ''}`;
  return code !== undefined && key in id ? [{ key: key as Key }] : [];
}

/**
 * A report's decision says what it means for the reported account and what
 * the reporter can still do: after a verification, the bank and the police
 * (cekrek does neither); after a rejection, a better-evidenced report or the
 * service desk.
 */
function reportDecided(
  template: ReportDecided,
  publicBaseUrl: string,
  track: NonNullable<Composition['link']>,
): Composition {
  const ticket = { ticket: template.ticket };
  if (template.decision === 'verified') {
    return {
      subject: { key: 'report_verified.subject', values: ticket },
      paragraphs: [
        { key: 'report_verified.body', values: ticket },
        { key: 'report_verified.means' },
        { key: 'report_verified.next' },
      ],
      link: track,
    };
  }
  return {
    subject: { key: 'report_rejected.subject', values: ticket },
    paragraphs: [
      { key: 'report_rejected.body', values: ticket },
      ...optional('reason', 'reason', template.reason),
      ...meaning('report_rejected.means.', template.reasonCode),
      siteLink('report_rejected.again', publicBaseUrl, '/lapor'),
      siteLink('report_rejected.contact', publicBaseUrl, '/kontak'),
    ],
    link: track,
  };
}

/**
 * A seller's decision: once approved, the seller page and how to use the
 * link, QR code and badge; once rejected or withdrawn, the reason, what it
 * means, and how to register again or ask.
 */
function registrationDecided(
  template: RegistrationDecided,
  publicBaseUrl: string,
  track: NonNullable<Composition['link']>,
): Composition {
  const ticket = { ticket: template.ticket };
  if (template.decision === 'approved') {
    return {
      subject: { key: 'registration_approved.subject', values: ticket },
      paragraphs: [
        { key: 'registration_approved.body', values: ticket },
        ...optional('registration_approved.page', 'link', template.sellerPage),
        ...optional('registration_approved.use', 'link', template.proofUrl),
      ],
      link: track,
    };
  }
  const rejected = template.decision === 'rejected';
  return {
    subject: {
      key: rejected ? 'registration_rejected.subject' : 'registration_revoked.subject',
      values: ticket,
    },
    paragraphs: [
      {
        key: rejected ? 'registration_rejected.body' : 'registration_revoked.body',
        values: ticket,
      },
      ...optional('reason', 'reason', template.reason),
      ...meaning('registration.means.', template.reasonCode),
      ...(rejected
        ? [siteLink('registration_rejected.again', publicBaseUrl, '/daftar-penjual')]
        : []),
      siteLink('registration.contact', publicBaseUrl, '/kontak'),
    ],
    link: track,
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
    case 'report_decided':
      return reportDecided(template, context.publicBaseUrl, track);
    case 'registration_decided':
      return registrationDecided(template, context.publicBaseUrl, track);
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
