// The e-mails of normalization that the shared templates have no form for: a
// mediator's question to the owner or to a reporter, with the link to the
// page where they answer it. Plain text with a simple HTML alternative, every
// value escaped; the tracking code is never in a mail.
import { formatDate } from '../shared/dates.ts';
import { escapeHtml, type RenderedMail } from '../mail/mail.service.ts';
import type { Lang } from '../shared/i18n.ts';
import { t, type MessageKey } from '../shared/messages.ts';

/** Where a party answers a question: the ticket is filled in, the tracking code they type. */
export function answerPageUrl(publicBaseUrl: string, ticket: string): string {
  const url = new URL('/lacak/jawab', publicBaseUrl);
  url.searchParams.set('tiket', ticket);
  return url.toString();
}

/** "12 Maret 2026": a deadline as people read it in Indonesia. */
export function deadlineDate(lang: Lang, at: Date): string {
  return formatDate(lang, at);
}

export interface QuestionMail {
  readonly ticket: string;
  /** To the account's owner, or to the reporter of a disputed report. */
  readonly party: 'owner' | 'reporter';
  /** The account, as "BCA 1234567890". */
  readonly account: string;
  readonly question: string;
  readonly dueAt: Date;
  /** The dispute notice, which tells a reporter of the dispute before anything is decided. */
  readonly purpose?: 'question' | 'dispute_notice';
}

const paragraph = (value: string) => `<p>${escapeHtml(value).replaceAll('\n', '<br>')}</p>`;

/** A mail's HTML document: its parts (already escaped), then its link and the footer. */
function mailHtml(
  lang: Lang,
  subject: string,
  parts: readonly string[],
  end: { readonly url: string; readonly label: string; readonly footer: string },
): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em;">',
    ...parts,
    `<p><a href="${escapeHtml(end.url)}">${escapeHtml(end.label)}</a></p>`,
    `<p style="color: #555; font-size: small;">${escapeHtml(end.footer)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

export function renderQuestionMail(
  mail: QuestionMail,
  lang: Lang,
  context: { readonly publicBaseUrl: string; readonly siteName?: string },
): RenderedMail {
  const tr = (key: MessageKey, params?: Record<string, string>) => t(lang, key, params);
  const url = answerPageUrl(context.publicBaseUrl, mail.ticket);
  const notice = mail.purpose === 'dispute_notice';
  const subject = tr(
    notice ? 'normalizationMail.notice.subject' : 'normalizationMail.question.subject',
    { ticket: mail.ticket },
  );
  const intro = tr(
    notice
      ? 'normalizationMail.notice.body'
      : mail.party === 'owner'
        ? 'normalizationMail.question.ownerBody'
        : 'normalizationMail.question.reporterBody',
    { account: mail.account, ticket: mail.ticket },
  );
  const due = tr('normalizationMail.question.due', { date: deadlineDate(lang, mail.dueAt) });
  const how = tr('normalizationMail.question.how');
  const label = tr('normalizationMail.question.link');
  const footer = tr('normalizationMail.footer', { site: context.siteName ?? 'cekrek' });
  const greeting = tr('normalizationMail.greeting');
  const text = [
    greeting,
    intro,
    mail.question,
    due,
    how,
    `${label}:\n${url}`,
    `-- \n${footer}`,
  ].join('\n\n');
  const html = mailHtml(
    lang,
    subject,
    [
      paragraph(greeting),
      paragraph(intro),
      `<blockquote style="border-left: 4px solid #ccc; margin: 0; padding-left: 1em;">${paragraph(mail.question)}</blockquote>`,
      paragraph(due),
      paragraph(how),
    ],
    { url, label, footer },
  );
  return { subject: subject.replace(/\s+/g, ' ').trim(), text: `${text}\n`, html };
}

export interface DecisionMail {
  readonly ticket: string;
  /** The owner who asked for normalization, or the reporter of a disputed report. */
  readonly party: 'owner' | 'reporter';
  readonly outcome: 'granted' | 'denied';
  /** The account, as "BCA 1234567890". */
  readonly account: string;
  /** The reasons given with the decision. */
  readonly reason: string;
}

/** The tracking page of a ticket: the ticket is filled in, the tracking code they type. */
function trackPageUrl(publicBaseUrl: string, ticket: string): string {
  const url = new URL('/lacak', publicBaseUrl);
  url.searchParams.set('tiket', ticket);
  return url.toString();
}

/**
 * The decision, told in plain words: what it means for the person reading,
 * the reasons given, and what they can still do (the service desk, the
 * police, their bank).
 */
export function renderDecisionMail(
  mail: DecisionMail,
  lang: Lang,
  context: { readonly publicBaseUrl: string; readonly siteName?: string },
): RenderedMail {
  const tr = (key: MessageKey, params?: Record<string, string>) => t(lang, key, params);
  const words = outcomeWords(lang, mail.party, mail.outcome);
  const contact = new URL('/kontak', context.publicBaseUrl).toString();
  const next = words.next.map((line, index) => (index === 0 ? `${line} ${contact}` : line));
  const account = tr('normalizationOutcome.account', { account: mail.account });
  const url = trackPageUrl(context.publicBaseUrl, mail.ticket);
  const subject = tr(`normalizationMail.decision.subject.${mail.outcome}`, {
    ticket: mail.ticket,
  });
  const reason = tr('normalizationOutcome.reason', { reason: mail.reason });
  const label = tr('normalizationMail.decision.link');
  const footer = tr('normalizationMail.footer', { site: context.siteName ?? 'cekrek' });
  const greeting = tr('normalizationMail.greeting');
  const list = next.map((line) => `- ${line}`).join('\n');
  const text = [
    greeting,
    account,
    words.meaning,
    reason,
    `${words.nextTitle}\n${list}`,
    `${label}:\n${url}`,
    `-- \n${footer}`,
  ].join('\n\n');
  const html = mailHtml(
    lang,
    subject,
    [
      paragraph(greeting),
      paragraph(account),
      paragraph(words.meaning),
      paragraph(reason),
      paragraph(words.nextTitle),
      `<ul>${next.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    ],
    { url, label, footer },
  );
  return { subject: subject.replace(/\s+/g, ' ').trim(), text: `${text}\n`, html };
}

export interface OutcomeWords {
  /** What the decision means for the person reading. */
  readonly meaning: string;
  readonly nextTitle: string;
  /** What they can still do. */
  readonly next: readonly string[];
}

/** The words of the decision mail; the tracking page shows the same messages. */
export function outcomeWords(
  lang: Lang,
  party: 'owner' | 'reporter',
  outcome: 'granted' | 'denied',
): OutcomeWords {
  const tr = (key: MessageKey) => t(lang, key);
  return {
    meaning: tr(`normalizationOutcome.${party}.${outcome}`),
    nextTitle: tr('normalizationOutcome.next'),
    next: [
      tr(`normalizationOutcome.${party}.desk`),
      tr(`normalizationOutcome.${party}.police`),
      tr(`normalizationOutcome.${party}.bank`),
    ],
  };
}
