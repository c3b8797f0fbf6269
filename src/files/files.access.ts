// Opening a stored file for an operator: the one place that decides who may
// see evidence and identity documents, and that writes every look (and every
// refusal) to the audit log. The API's file route and the back office's
// page route both go through here, so they cannot drift apart.
import type { AuditService } from '../audit/audit.service.ts';
import { allows, type Actor, type Permission, type Role } from '../operators/operators.service.ts';
import { AppError } from '../shared/errors.ts';
import type { FileOwnerKind, FileStore, StoredFile } from './files.service.ts';

/** Who may open a file depends on what it belongs to. */
export const permissionForFiles: Record<FileOwnerKind, Permission> = {
  report: 'reports.review',
  registration: 'registrations.review',
  normalization: 'normalizations.mediate',
};

/** The signed-in operator asking for a file: who they are, for the audit log, and their roles. */
export interface FileViewer {
  readonly actor: Actor & { readonly ip: string };
  readonly roles: readonly Role[];
}

export class FileAccess {
  readonly #files: FileStore;
  readonly #audit: AuditService;

  constructor(files: FileStore, audit: AuditService) {
    this.#files = files;
    this.#audit = audit;
  }

  /**
   * The file, when the viewer's roles allow its owner's review; otherwise
   * `403 forbidden`, audited as `access.denied`. A route that calls this
   * declares the permission 'session': which permission applies is only
   * known once the file's owner is.
   */
  async open(viewer: FileViewer, id: string): Promise<StoredFile> {
    const { actor } = viewer;
    const file = await this.#files.open(id);
    const permission = permissionForFiles[file.ownerKind];
    const subject = { type: 'file', id: file.id };
    if (!allows(viewer.roles, permission)) {
      await this.#audit.recordAlone({
        actor,
        action: 'access.denied',
        subject,
        ip: actor.ip,
        outcome: 'denied',
        details: { permission },
      });
      throw new AppError('forbidden');
    }
    await this.#audit.recordAlone({
      actor,
      action: 'file.viewed',
      subject,
      ip: actor.ip,
      details: { owner: `${file.ownerKind}:${file.ownerId ?? ''}`, field: file.field },
    });
    return file;
  }
}
