// Opening a stored file for an operator: the one place that decides who may
// see evidence and identity documents, and that writes every look (and every
// refusal) to the audit log. The API's file route and the back office's
// page route both go through here, so they cannot drift apart.
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../backoffice/auth.ts';
import type { FileOwnerKind, StoredFile } from './files.service.ts';
export { sendStoredFile } from './stored-file.ts';
import { allows, type Permission } from '../operators/policy.ts';
import { AppError } from '../shared/errors.ts';

/** Who may open a file depends on what it belongs to. */
export const permissionForFiles: Record<FileOwnerKind, Permission> = {
  report: 'reports.review',
  registration: 'registrations.review',
  normalization: 'normalizations.mediate',
};

/**
 * The file, when the signed-in operator's roles allow its owner's review;
 * otherwise `403 forbidden`, audited as `access.denied`. A route that calls
 * this declares the permission 'session': which permission applies is only
 * known once the file's owner is.
 */
export async function openAuditedFile(request: FastifyRequest, id: string): Promise<StoredFile> {
  const { files, audit } = request.server.deps.services;
  const session = request.operatorSession;
  if (!session) throw new AppError('unauthorized');
  const actor = actorOf(request);
  const file = await files.open(id);
  const permission = permissionForFiles[file.ownerKind];
  const subject = { type: 'file', id: file.id };
  if (!allows(session.operator.roles, permission)) {
    await audit.recordAlone({
      actor,
      action: 'access.denied',
      subject,
      ip: actor.ip,
      outcome: 'denied',
      details: { permission },
    });
    throw new AppError('forbidden');
  }
  await audit.recordAlone({
    actor,
    action: 'file.viewed',
    subject,
    ip: actor.ip,
    details: { owner: `${file.ownerKind}:${file.ownerId ?? ''}`, field: file.field },
  });
  return file;
}
