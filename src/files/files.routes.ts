// The audited file route of the API: evidence and identity documents for
// the operators whose work they belong to (see files.access.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { viewerOf } from '../backoffice/auth.ts';
import { safeString } from '../shared/text-input.ts';
import type { FileAccess } from './files.access.ts';
import { sendStoredFile } from './stored-file.http.ts';

export interface FilesRoutesOptions {
  readonly fileAccess: FileAccess;
}

export const filesRoutes: FastifyPluginAsync<FilesRoutesOptions> = (fastify, { fileAccess }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/admin/files/:id',
    {
      config: { permission: 'session' },
      schema: {
        tags: ['review'],
        summary: 'A stored file (evidence or an identity document); every access is audited',
        params: z.object({ id: safeString().max(64) }),
      },
    },
    async (request, reply) => {
      const file = await fileAccess.open(viewerOf(request), request.params.id);
      return sendStoredFile(reply, file);
    },
  );
  return Promise.resolve();
};
