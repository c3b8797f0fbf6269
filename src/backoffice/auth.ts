// Operator authentication and authorization for every back-office route.
//
// A route under /api/v1/admin or /admin declares in its config either the
// permission it needs (a key of the policy table, or 'session' for "any
// signed-in operator") or `signIn: true` (the sign-in routes themselves).
// Registering one that declares neither fails at start-up, so no admin route
// can exist without a check. The check runs before the body is validated: a
// live session (401), the session stage (403 until TOTP enrolment and a
// one-time password change are done), the permission (403, audited), and for
// writes the CSRF token.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionStage } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { allows, type Actor, type Permission, type Role } from '../operators/operators.service.ts';
import type {
  ActiveSession,
  Client,
  IssuedSession,
  SessionsService,
} from '../operators/sessions.service.ts';
import type { AuditService } from '../audit/audit.service.ts';

export type RoutePermission = Permission | 'session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What an operator needs to call this route. */
    permission?: RoutePermission;
    /** The session stages that may call this route; only 'full' unless listed. */
    stages?: readonly SessionStage[];
    /** The sign-in routes: reachable without a session. */
    signIn?: boolean;
  }
  interface FastifyRequest {
    /** The operator's session, on routes that declare a permission. */
    operatorSession: ActiveSession | null;
  }
  interface FastifyInstance {
    /** Every back-office route and what it requires (for the permission matrix). */
    readonly adminRoutes: AdminRoute[];
    /** The CSRF token that forms of a session carry as `_csrf`. */
    readonly csrfTokenFor: (sessionToken: string) => string;
  }
}

export interface AdminRoute {
  readonly method: string;
  readonly url: string;
  readonly permission: RoutePermission | null;
  readonly stages: readonly SessionStage[];
}

export const sessionCookie = 'cekrek_session';
export const csrfHeader = 'x-csrf-token';
const adminPrefixes = ['/api/v1/admin', '/admin'];

export function isAdminPath(url: string): boolean {
  return adminPrefixes.some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
}

export function clientOf(request: FastifyRequest): Client {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

export function actorOf(request: FastifyRequest): Actor {
  const session = request.operatorSession;
  if (!session) throw new AppError('unauthorized');
  return {
    type: 'operator',
    id: session.operator.id,
    label: session.operator.email,
    ip: request.ip,
  };
}

/** The actor of a back-office change: always a signed-in operator, so always with an id. */
export type OperatorActor = Actor & { readonly id: number };

export function operatorActor(request: FastifyRequest): OperatorActor {
  return actorOf(request) as OperatorActor;
}

/** The signed-in operator as a file viewer: who, for the audit log, and with which roles. */
export function viewerOf(request: FastifyRequest): {
  actor: Actor & { ip: string };
  roles: readonly Role[];
} {
  const session = request.operatorSession;
  if (!session) throw new AppError('unauthorized');
  return { actor: { ...actorOf(request), ip: request.ip }, roles: session.operator.roles };
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  session: IssuedSession,
) {
  void reply.setCookie(sessionCookie, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  void reply.clearCookie(sessionCookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}

function stageError(stage: SessionStage): AppError {
  return new AppError(stage === 'enrollment' ? 'enrollment_required' : 'password_change_required');
}

function csrfCandidate(request: FastifyRequest): string | undefined {
  const header = request.headers[csrfHeader];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthOptions {
  readonly sessions: SessionsService;
  readonly audit: AuditService;
}

export const authPlugin = fp<AuthOptions>(
  (app, { sessions, audit }, done) => {
    app.decorateRequest('operatorSession', null);
    app.decorate('csrfTokenFor', (sessionToken: string) => sessions.csrfToken(sessionToken));
    const adminRoutes: AdminRoute[] = [];
    app.decorate('adminRoutes', adminRoutes);

    const authorize = async (request: FastifyRequest): Promise<void> => {
      const config = request.routeOptions.config;
      const permission = config.permission;
      if (!permission) return;

      const token = request.cookies[sessionCookie];
      const session = await sessions.authenticate(token);
      if (!session || !token) throw new AppError('unauthorized');
      request.operatorSession = session;

      const stages = config.stages ?? ['full'];
      if (!stages.includes(session.stage)) {
        throw session.stage === 'full' ? new AppError('forbidden') : stageError(session.stage);
      }

      if (permission !== 'session' && !allows(session.operator.roles, permission)) {
        await audit.recordAlone({
          actor: { type: 'operator', id: session.operator.id, label: session.operator.email },
          action: 'access.denied',
          subject: { type: 'route', id: `${request.method} ${request.routeOptions.url ?? ''}` },
          ip: request.ip,
          outcome: 'denied',
          details: { permission, roles: [...session.operator.roles] },
        });
        throw new AppError('forbidden');
      }

      if (
        !safeMethods.has(request.method) &&
        !sessions.csrfMatches(token, csrfCandidate(request))
      ) {
        throw new AppError('csrf_failed');
      }
    };

    app.addHook('onRoute', (route) => {
      const url = route.url ?? route.path;
      if (!isAdminPath(url)) return;
      const config = route.config;
      if (!config?.permission && !config?.signIn) {
        throw new Error(`admin route ${String(route.method)} ${url} declares no permission`);
      }
      // Before validation: who may not call a route learns nothing from its schema.
      route.preValidation = [authorize, ...[route.preValidation ?? []].flat()];
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        adminRoutes.push({
          method,
          url,
          permission: config.permission ?? null,
          stages: config.stages ?? ['full'],
        });
      }
    });

    done();
  },
  { name: 'cekrek-auth' },
);
