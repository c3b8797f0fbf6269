// Every text the public reads, on the pages and in the mails, in Indonesian
// and in English, speaks with one voice: the staff are "petugas" / "staff",
// the secret is the "kode pelacakan" / "tracking code", a request just filed
// was received ("telah kami terima"), and the slips once found stay gone.
import { describe, expect, it } from 'vitest';
import type { NormalizationStatus, RegistrationStatus, ReportStatus } from '../db/schema.ts';
import {
  renderMail,
  type MailTemplate,
  type RenderedMail,
  type RequestKind,
  type RequestStatus,
} from '../mail/templates.ts';
import { renderQuestionMail } from '../normalizations/normalizations.mail.ts';
import { reasonLabel, rejectReasons, verifyReasons } from '../reports/reports.service.ts';
import { format, languages, type Lang } from './i18n.ts';
import { messageKeys, t, type MessageKey } from './messages.ts';

/** The back office's own texts: its pages, its forms and the answers of its API. */
const staffPrefixes = [
  'admin.',
  'registrar.',
  'mediation.',
  'operator.',
  'password.',
  'audit.',
  'report.decision.',
  'registration.decision.',
  'normalization.party.',
  'normalization.question.',
  'normalization.mediation.',
  'normalization.proposal.',
  'normalization.confirmation.',
  'problem.unauthorized.',
  'problem.invalid_credentials.',
  'problem.totp_required.',
  'problem.forbidden.',
  'problem.csrf_failed.',
  'problem.enrollment_required.',
  'problem.password_change_required.',
  'problem.operator_exists.',
  'problem.already_claimed.',
  'problem.already_decided.',
  'problem.four_eyes.',
  'problem.already_pending.detail.operator_change',
];

const isPublic = (key: MessageKey) => !staffPrefixes.some((prefix) => key.startsWith(prefix));

/** Values for every placeholder, the organization's name left at its default. */
const sample = {
  organization: 'cekrek',
  site: 'cekrek',
  ticket: 'LAP-7K3Q-9M2X',
  account: 'BCA 1234567890',
  reason: 'Bukti tidak terbaca',
  link: 'https://cekrek.example.id/penjual/x',
  host: 'cekrek.example.id',
  date: '12 Maret 2026',
};

interface Text {
  readonly where: string;
  readonly lang: Lang;
  readonly text: string;
}

function catalogueTexts(keys: readonly MessageKey[]): Text[] {
  return keys.flatMap((key) =>
    languages.map((lang) => ({ where: key, lang, text: t(lang, key, sample) })),
  );
}

const context = { publicBaseUrl: 'https://cekrek.example.id' };

/** Every status of every request: a status added to the schema fails the type check here. */
const statuses: Record<RequestKind, readonly string[]> = {
  report: Object.keys({
    submitted: 1,
    in_review: 1,
    verified: 1,
    rejected: 1,
    normalized: 1,
  } satisfies Record<ReportStatus, 1>),
  registration: Object.keys({
    submitted: 1,
    in_review: 1,
    approved: 1,
    rejected: 1,
    revoked: 1,
  } satisfies Record<RegistrationStatus, 1>),
  normalization: Object.keys({
    submitted: 1,
    in_review: 1,
    mediation: 1,
    proposed: 1,
    granted: 1,
    denied: 1,
  } satisfies Record<NormalizationStatus, 1>),
};

/** Every kind of mail, every request and status, each with every optional part filled. */
function everyTemplate(): [string, MailTemplate][] {
  const ticket = sample.ticket;
  const templates: [string, MailTemplate][] = [
    ['report_received', { kind: 'report_received', ticket }],
    ['report_decided verified', { kind: 'report_decided', ticket, decision: 'verified' }],
    [
      'report_decided rejected',
      { kind: 'report_decided', ticket, decision: 'rejected', reason: 'Bukti tidak terbaca.' },
    ],
    [
      'report_decided rejected, explained',
      {
        kind: 'report_decided',
        ticket,
        decision: 'rejected',
        reason: 'Bukti belum cukup',
        reasonCode: 'insufficient_evidence',
      },
    ],
    ...(['approved', 'rejected', 'revoked'] as const).map((decision): [string, MailTemplate] => [
      `registration_decided ${decision}`,
      {
        kind: 'registration_decided',
        ticket,
        decision,
        ...(decision === 'approved'
          ? { sellerPage: sample.link, proofUrl: 'https://cekrek.example.id/daftar-penjual/bukti' }
          : { reason: 'Dokumen tidak terbaca', reasonCode: 'documents_unreadable' }),
      },
    ]),
    [
      'tracking_code_renewed',
      { kind: 'tracking_code_renewed', ticket, trackingUrl: 'https://cekrek.example.id/lacak' },
    ],
    [
      'mediation_scheduled',
      {
        kind: 'mediation_scheduled',
        ticket,
        scheduledAt: new Date('2026-03-05T03:30:00Z'),
        place: 'Jl. Medan Merdeka Barat No. 9',
        link: 'https://meet.example.id/r/abc',
        note: 'Bawa KTP.',
      },
    ],
  ];
  for (const request of ['report', 'registration', 'normalization'] as const) {
    for (const status of statuses[request] as readonly RequestStatus[]) {
      templates.push([
        `status_changed ${request} ${status}`,
        { kind: 'status_changed', ticket, request, status, note: 'Dokumen lengkap.' },
      ]);
    }
  }
  return templates;
}

function mailTexts(): Text[] {
  const mails: [string, Lang, RenderedMail][] = [];
  for (const lang of languages) {
    for (const [name, template] of everyTemplate()) {
      mails.push([name, lang, renderMail(template, lang, context)]);
    }
    for (const party of ['owner', 'reporter'] as const) {
      const question = {
        ticket: sample.ticket,
        party,
        account: sample.account,
        question: 'Mohon kirim bukti pengiriman barang.',
        dueAt: new Date('2026-03-12T00:00:00Z'),
      };
      mails.push([`question to ${party}`, lang, renderQuestionMail(question, lang, context)]);
    }
  }
  return mails.flatMap(([name, lang, mail]) => [
    { where: `${name} mail (subject)`, lang, text: mail.subject },
    { where: `${name} mail (text)`, lang, text: mail.text },
  ]);
}

/** The words of a reviewer's reasons, which reach the reporter by mail and on the tracking page. */
function reasonTexts(): Text[] {
  return [...verifyReasons, ...rejectReasons].flatMap((reason) =>
    languages.map((lang) => ({ where: `reason ${reason}`, lang, text: reasonLabel(lang, reason) })),
  );
}

const publicTexts = [
  ...catalogueTexts(messageKeys().filter(isPublic)),
  ...mailTexts(),
  ...reasonTexts(),
];
const everyText = [...catalogueTexts(messageKeys()), ...mailTexts()];

function offenders(texts: readonly Text[], slip: (text: Text) => boolean): string[] {
  return texts.filter(slip).map(({ where, lang, text }) => `${where} [${lang}]: ${text}`);
}

describe('the public voice', () => {
  it('walks every text: the catalogue, every mail in both languages, the reasons', () => {
    expect(publicTexts.length).toBeGreaterThan(1000);
    expect(mailTexts().length).toBeGreaterThan(80);
  });

  it('calls the secret the tracking code, never a token', () => {
    expect(offenders(publicTexts, ({ text }) => /\btoken\b/i.test(text))).toEqual([]);
  });

  it('calls the staff "petugas" and "staff", never "operator"', () => {
    expect(offenders(publicTexts, ({ text }) => /\boperator\b/i.test(text))).toEqual([]);
  });

  it('says "empat mata" only as the four-eyes principle, explained as two people', () => {
    // Alone, "empat mata" is Indonesian for "in private", the very opposite.
    const slip = ({ text }: Text) =>
      /empat mata/i.test(text) &&
      (/(?<!prinsip )empat mata/i.test(text) || !/dua (petugas|orang)/i.test(text));
    expect(offenders(everyText, slip)).toEqual([]);
  });

  it('names nothing twice in a row, as "cekrek (cekrek)" with the default organization', () => {
    const twice = ({ text }: Text) => /\b([\p{L}\d]+) \(\1\)/iu.test(text);
    expect(offenders(everyText, twice)).toEqual([]);
  });

  it('labels the seller account’s number in words, not a bare "Angka:"', () => {
    const bare = ({ lang, text }: Text) =>
      lang === 'id' ? /\bangka:/i.test(text) : /^digits:$/i.test(text.trim());
    expect(offenders(everyText, bare)).toEqual([]);
  });

  it('says a request just filed was received, not that its status is now "Diterima"', () => {
    const slip = ({ text }: Text) => /status kini diterima|status is now received/i.test(text);
    expect(offenders(everyText, slip)).toEqual([]);

    for (const request of ['report', 'registration', 'normalization'] as const) {
      const filed: MailTemplate = {
        kind: 'status_changed',
        ticket: 'REG-7',
        request,
        status: 'submitted',
        note: 'Petugas akan memeriksanya.',
      };
      const id = renderMail(filed, 'id', context);
      expect(id.subject).toMatch(/^\S.* Anda telah kami terima — tiket REG-7$/);
      expect(id.text).toMatch(/Anda telah kami terima dengan nomor tiket REG-7\./);
      // The next step is the site's word, not a note from the staff.
      expect(id.text).toContain('\n\nPetugas akan memeriksanya.\n\n');
      expect(id.text).not.toContain('Catatan dari petugas');
      const en = renderMail(filed, 'en', context);
      expect(en.subject).toMatch(/^Your .* was received — ticket REG-7$/);
      expect(en.text).toMatch(/We received your .* under ticket number REG-7\./);
      expect(en.text).not.toContain('Note from our staff');
    }
    // "Diterima" alone also reads as "accepted".
    const report = renderMail({ kind: 'report_received', ticket: 'LAP-1' }, 'id', context);
    expect(report.subject).toBe('Laporan Anda telah kami terima — tiket LAP-1');
  });

  it('speaks to the reader as "Anda", never "kamu" or a lower-case "anda"', () => {
    const slip = ({ lang, text }: Text) => lang === 'id' && /\bkamu\b|\banda\b/.test(text);
    expect(offenders(publicTexts, slip)).toEqual([]);
  });

  it('keeps the same placeholders in Indonesian and English', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const raw = (lang: Lang, key: MessageKey) => t(lang, key, {});
    const differing = messageKeys().filter(
      (key) => names(raw('id', key)).join() !== names(raw('en', key)).join(),
    );
    expect(differing).toEqual([]);
    expect(format('{organization}', sample)).toBe('cekrek');
  });
});
