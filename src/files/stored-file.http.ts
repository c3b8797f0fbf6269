// Sending a stored file (evidence, identity documents, answers' attachments)
// to an operator: the one place every file route answers through, so none
// can forget a header. Nothing is sniffed, cached or able to run: a sandbox
// CSP of its own, and PDFs are always saved rather than shown, so no PDF
// reader embedded in the browser opens one under the site's origin.
import type { FastifyReply } from 'fastify';
import type { StoredFile } from './files.service.ts';

const extensions: Record<StoredFile['mime'], string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
};

export function storedFileDisposition(file: Pick<StoredFile, 'mime'>): 'inline' | 'attachment' {
  return file.mime === 'application/pdf' ? 'attachment' : 'inline';
}

export function sendStoredFile(reply: FastifyReply, file: StoredFile): FastifyReply {
  const name = `${file.id}${extensions[file.mime]}`;
  return reply
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `${storedFileDisposition(file)}; filename="${name}"`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .type(file.mime)
    .send(file.bytes);
}

/** Where the API serves a stored file to the operators allowed to see it (files.routes.ts). */
export function fileUrl(id: string): string {
  return `/api/v1/admin/files/${id}`;
}
