// What other features use of mail: a message rendered from a template, and
// queued in their own transaction (sent by the job worker, sealed meanwhile).
export {
  escapeHtml,
  renderMail,
  ticketTrackingUrl,
  type MailContext,
  type MailTemplate,
  type RenderedMail,
} from './templates.ts';
export { enqueueMail } from './mail.jobs.ts';
