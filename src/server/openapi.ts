// The OpenAPI document's names and doors: partners generate clients from it,
// so every operation has a stable, readable id (kept in one table, so a
// rename is a visible change to the contract) and declares how it is entered:
// open to anyone, with an operator's session cookie, or with a partner's key
// and the scope it needs.
import type { FastifySchema } from 'fastify';

/** The security schemes of the document (components.securitySchemes). */
export const securitySchemes = {
  operatorSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'cekrek_session',
    description:
      'An operator’s session, from `POST /api/v1/admin/session`. Writes also need the ' +
      '`X-CSRF-Token` header from `GET /api/v1/admin/session`.',
  },
  partnerKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A partner’s API key (`ckr_live_…`), sent as `Authorization: Bearer <key>`. Its scopes: ' +
      '`check`, `reports`, `import`, `watch`.',
  },
} as const;

export type PartnerScope = 'check' | 'reports' | 'import' | 'watch';
type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** Open to anyone (an empty requirement list: no credentials). */
export const openToAnyone: readonly SecurityRequirement[] = [];
/** An operator's session cookie. */
export const operatorSession: readonly SecurityRequirement[] = [{ operatorSession: [] }];
/** A partner's key with the scope. */
export function partnerKey(scope: PartnerScope): readonly SecurityRequirement[] {
  return [{ partnerKey: [scope] }];
}
/** Anyone, or a partner's key with the scope (which lifts the per-address limits). */
export function anyoneOrPartnerKey(scope: PartnerScope): readonly SecurityRequirement[] {
  return [{}, { partnerKey: [scope] }];
}

/**
 * Every operation's id, by method and OpenAPI path. Ids are part of the
 * contract: generated clients name their methods after them. A route missing
 * here fails the OpenAPI test.
 */
export const operationIds: Readonly<Record<string, string>> = {
  'GET /healthz': 'getHealth',
  'GET /readyz': 'getReadiness',
  'GET /api/v1/accounts/{provider}/{number}': 'checkAccount',
  'GET /api/v1/providers': 'listProviders',
  'GET /api/v1/categories': 'listCategories',
  'GET /api/v1/challenge': 'getChallenge',
  'POST /api/v1/reports': 'createReport',
  'POST /api/v1/registrations': 'createRegistration',
  'GET /api/v1/registrations/{ticket}/links': 'getSellerLinks',
  'GET /api/v1/registrations/signing-key': 'getSellerSigningKey',
  'GET /api/v1/sellers/{publicId}': 'getSeller',
  'POST /api/v1/sellers/{publicId}/name-check': 'checkSellerName',
  'POST /api/v1/normalizations': 'createNormalization',
  'GET /api/v1/tickets/{ticket}': 'getTicket',
  'POST /api/v1/tickets/{ticket}/code': 'requestTrackingCode',
  'GET /api/v1/admin/session': 'getSession',
  'POST /api/v1/admin/session': 'signIn',
  'DELETE /api/v1/admin/session': 'signOut',
  'DELETE /api/v1/admin/sessions': 'signOutEverywhere',
  'POST /api/v1/admin/totp': 'enrolTotp',
  'POST /api/v1/admin/password': 'changePassword',
  'GET /api/v1/admin/operators': 'listOperators',
  'POST /api/v1/admin/operators': 'createOperator',
  'POST /api/v1/admin/operators/{id}/disable': 'disableOperator',
  'POST /api/v1/admin/operators/{id}/enable': 'enableOperator',
  'PUT /api/v1/admin/operators/{id}/roles': 'setOperatorRoles',
  'POST /api/v1/admin/operators/{id}/password-reset': 'resetOperatorPassword',
  'POST /api/v1/admin/operators/{id}/totp-reset': 'resetOperatorTotp',
  'GET /api/v1/admin/operator-changes': 'listOperatorChanges',
  'GET /api/v1/admin/operator-changes/{id}': 'getOperatorChange',
  'POST /api/v1/admin/operator-changes/{id}/decision': 'decideOperatorChange',
  'GET /api/v1/admin/dashboard': 'getDashboard',
  'GET /api/v1/admin/dashboard/figures': 'getDashboardFigures',
  'GET /api/v1/admin/dashboard/early-warnings': 'getDashboardEarlyWarnings',
  'GET /api/v1/admin/audit': 'listAuditEvents',
  'GET /api/v1/admin/files/{id}': 'getFile',
  'GET /api/v1/admin/tickets/{ticket}': 'findByTicket',
  'GET /api/v1/admin/reports': 'listReports',
  'GET /api/v1/admin/reports/{id}': 'getReport',
  'POST /api/v1/admin/reports/{id}/claim': 'claimReport',
  'POST /api/v1/admin/reports/next': 'claimNextReport',
  'POST /api/v1/admin/reports/{id}/release': 'releaseReport',
  'POST /api/v1/admin/reports/{id}/decision': 'decideReport',
  'GET /api/v1/admin/registrations': 'listRegistrations',
  'GET /api/v1/admin/registrations/{id}': 'getRegistration',
  'POST /api/v1/admin/registrations/{id}/nik': 'revealRegistrationNik',
  'POST /api/v1/admin/registrations/{id}/claim': 'claimRegistration',
  'POST /api/v1/admin/registrations/{id}/release': 'releaseRegistration',
  'POST /api/v1/admin/registrations/{id}/decision': 'decideRegistration',
  'POST /api/v1/admin/registrations/{id}/revocation': 'revokeSeller',
  'GET /api/v1/admin/normalizations': 'listNormalizations',
  'POST /api/v1/admin/normalizations': 'claimNextNormalization',
  'GET /api/v1/admin/normalizations/{id}': 'getNormalization',
  'GET /api/v1/admin/normalizations/{id}/files/{fileId}': 'getNormalizationFile',
  'POST /api/v1/admin/normalizations/{id}/claim': 'claimNormalization',
  'POST /api/v1/admin/normalizations/{id}/information-requests': 'askForInformation',
  'POST /api/v1/admin/normalizations/{id}/mediation': 'scheduleMediation',
  'POST /api/v1/admin/normalizations/{id}/mediations/{sessionId}/outcome': 'recordMediationOutcome',
  'POST /api/v1/admin/normalizations/{id}/reporter-notices': 'notifyReporters',
  'POST /api/v1/admin/normalizations/{id}/reporter-excuses': 'recordReporterExcuse',
  'POST /api/v1/admin/normalizations/{id}/decision': 'proposeNormalizationDecision',
  'POST /api/v1/admin/normalizations/{id}/confirmation': 'confirmNormalizationDecision',
  'GET /api/v1/partner': 'getPartnerKey',
  'GET /api/v1/admin/partners': 'listPartners',
  'POST /api/v1/admin/partners': 'createPartner',
  'GET /api/v1/admin/partners/{id}': 'getPartner',
  'PATCH /api/v1/admin/partners/{id}': 'updatePartner',
  'POST /api/v1/admin/partners/{id}/keys': 'issuePartnerKey',
  'POST /api/v1/admin/partners/{id}/keys/{keyId}/roll': 'rollPartnerKey',
  'DELETE /api/v1/admin/partners/{id}/keys/{keyId}': 'revokePartnerKey',
  'POST /api/v1/checks': 'bulkCheck',
  'GET /api/v1/range/{prefix}': 'rangeLookup',
  'POST /api/v1/imports': 'createImport',
  'GET /api/v1/imports/{id}': 'getImport',
  'POST /api/v1/partner/watches': 'addWatches',
  'DELETE /api/v1/partner/watches': 'removeWatches',
  'GET /api/v1/partner/watches': 'listWatches',
  'GET /api/v1/partner/watches/providers': 'getProviderWatches',
  'PUT /api/v1/partner/watches/providers': 'setProviderWatches',
  'POST /api/v1/partner/webhooks': 'createWebhook',
  'GET /api/v1/partner/webhooks': 'listWebhooks',
  'DELETE /api/v1/partner/webhooks/{id}': 'deleteWebhook',
  'POST /api/v1/partner/webhooks/{id}/rotate': 'rotateWebhookSecret',
  'GET /api/v1/partner/webhooks/{id}/deliveries': 'listWebhookDeliveries',
  'POST /api/v1/partner/webhooks/{id}/deliveries/{deliveryId}/retry': 'retryWebhookDelivery',
  'POST /api/v1/partner/webhooks/{id}/ping': 'pingWebhook',
  'GET /api/v1/statistics': 'getStatistics',
};

/** The operations a partner's key opens, with the scope each needs. */
const keyedOperations: Readonly<Record<string, readonly SecurityRequirement[]>> = {
  'GET /api/v1/partner': [{ partnerKey: [] }],
  'GET /api/v1/accounts/{provider}/{number}': anyoneOrPartnerKey('check'),
  'POST /api/v1/checks': partnerKey('check'),
  'POST /api/v1/reports': anyoneOrPartnerKey('reports'),
  'POST /api/v1/imports': partnerKey('import'),
  'GET /api/v1/imports/{id}': partnerKey('import'),
  'POST /api/v1/partner/watches': partnerKey('watch'),
  'DELETE /api/v1/partner/watches': partnerKey('watch'),
  'GET /api/v1/partner/watches': partnerKey('watch'),
  'GET /api/v1/partner/watches/providers': partnerKey('watch'),
  'PUT /api/v1/partner/watches/providers': partnerKey('watch'),
  'POST /api/v1/partner/webhooks': partnerKey('watch'),
  'GET /api/v1/partner/webhooks': partnerKey('watch'),
  'DELETE /api/v1/partner/webhooks/{id}': partnerKey('watch'),
  'POST /api/v1/partner/webhooks/{id}/rotate': partnerKey('watch'),
  'GET /api/v1/partner/webhooks/{id}/deliveries': partnerKey('watch'),
  'POST /api/v1/partner/webhooks/{id}/deliveries/{deliveryId}/retry': partnerKey('watch'),
  'POST /api/v1/partner/webhooks/{id}/ping': partnerKey('watch'),
};

/** Routes open without a session though they sit under /api/v1/admin. */
const openAdminRoutes = new Set(['POST /api/v1/admin/session']);

/** `/a/:b` (Fastify) as `/a/{b}` (OpenAPI). */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** What an operation declares unless its route names its own `security`. */
export function defaultSecurity(method: string, path: string): readonly SecurityRequirement[] {
  const key = `${method} ${path}`;
  const keyed = keyedOperations[key];
  if (keyed) return keyed;
  if (path.startsWith('/api/v1/admin/') && !openAdminRoutes.has(key)) return operatorSession;
  return openToAnyone;
}

type DocumentedSchema = FastifySchema & {
  operationId?: string;
  security?: readonly SecurityRequirement[];
  hide?: boolean;
};

/** Adds the id and the security to one operation of the document. */
export function nameOperation(
  schema: DocumentedSchema,
  method: string,
  url: string,
): DocumentedSchema {
  if (schema.hide) return schema;
  const path = openApiPath(url);
  return {
    ...schema,
    operationId: schema.operationId ?? operationIds[`${method} ${path}`],
    security: schema.security ?? defaultSecurity(method, path),
  };
}
