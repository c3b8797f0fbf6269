// The partner pages as views: the list with the form that adds a partner,
// one partner (settings, keys with roll and revoke, a form for a new key,
// usage per day for 30 days), and the page that shows a new key once.
import { adminPaths } from '../backoffice/paths.ts';
import type { ComponentChildren } from 'preact';
import { Time } from '../backoffice/time.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { CopyField, CopyScript } from '../http/receipt.tsx';
import { WarningIcon } from '../http/icons.tsx';
import {
  CsrfField,
  ErrorSummary,
  Field,
  fieldError,
  Notice,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import {
  partnerKinds,
  scopes,
  type IssuedKey,
  type Partner,
  type PartnerDetails,
  type PartnerKey,
} from './partners.service.ts';
import type { NewKeyBody, NewPartnerBody, PartnerNotice, SettingsBody } from './partners.form.ts';
import type { WatchSummary } from '../watches/watches.service.ts';
import type { Delivery, Endpoint } from '../webhooks/webhooks.service.ts';
import { WebhooksSection } from '../webhooks/webhooks.views.tsx';

export const partnersPath = adminPaths.partners;

/** A wide table scrolls inside its own region at 360 px (focusable, so keyboards can scroll it). */
function TableScroll({ children }: { children: ComponentChildren }) {
  return (
    <div class="table-scroll" tabIndex={0}>
      {children}
    </div>
  );
}
export const partnerPath = (id: number) => `${partnersPath}/${id}`;

function KindSelect({ ctx, value, error }: { ctx: PageContext; value: string; error?: string }) {
  const tr = translator(ctx);
  return (
    <div class="field">
      <label for="kind">{tr('admin.partners.kind')}</label>
      {error && (
        <p class="field-error" id="kind-error">
          <span>{error}</span>
        </p>
      )}
      <select id="kind" name="kind" aria-describedby={error ? 'kind-error' : undefined}>
        {partnerKinds.map((kind) => (
          <option key={kind} value={kind} selected={value === kind}>
            {tr(`admin.partners.kind.${kind}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function PartnersPage({
  ctx,
  partners,
  form,
}: {
  ctx: BackOfficeContext;
  partners: readonly Partner[];
  form: { values: NewPartnerBody; errors: readonly FormError[] };
}) {
  const tr = translator(ctx);
  const { values, errors } = form;
  return (
    <>
      <h1>{tr('admin.partners.title')}</h1>
      <p class="lead">{tr('admin.partners.lead')}</p>
      {partners.length === 0 ? (
        <p>{tr('admin.partners.none')}</p>
      ) : (
        <TableScroll>
          <table>
            <caption>{tr('admin.partners.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('admin.partners.name')}</th>
                <th scope="col">{tr('admin.partners.kind')}</th>
                <th scope="col">{tr('admin.partners.limits')}</th>
              </tr>
            </thead>
            <tbody>
              {partners.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={href(ctx, partnerPath(p.id))}>{p.name}</a>
                  </td>
                  <td>{tr(`admin.partners.kind.${p.kind}`)}</td>
                  <td>
                    {tr('admin.partners.limitsValue', { perMinute: p.perMinute, perDay: p.perDay })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <h2 id="new-partner">{tr('admin.partners.new')}</h2>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form class="card" method="post" action={href(ctx, partnersPath)} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          id="name"
          label={tr('admin.partners.name')}
          value={values.name ?? ''}
          maxLength={200}
          error={fieldError(errors, 'name')}
        />
        <KindSelect ctx={ctx} value={values.kind ?? 'bank'} error={fieldError(errors, 'kind')} />
        <Field
          id="contactEmail"
          type="email"
          label={tr('admin.partners.contactEmail')}
          value={values.contactEmail ?? ''}
          inputmode="email"
          maxLength={320}
          error={fieldError(errors, 'contactEmail')}
        />
        <LimitFields ctx={ctx} values={values} errors={errors} />
        <button type="submit" class="button button-block">
          {tr('admin.partners.create')}
        </button>
      </form>
    </>
  );
}

function LimitFields({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext;
  values: { perMinute?: string | undefined; perDay?: string | undefined };
  errors: readonly FormError[];
}) {
  const tr = translator(ctx);
  return (
    <>
      <Field
        id="perMinute"
        label={tr('admin.partners.perMinute')}
        hint={tr('admin.partners.perMinute.hint')}
        value={values.perMinute ?? ''}
        inputmode="numeric"
        maxLength={10}
        error={fieldError(errors, 'perMinute')}
      />
      <Field
        id="perDay"
        label={tr('admin.partners.perDay')}
        hint={tr('admin.partners.perDay.hint')}
        value={values.perDay ?? ''}
        inputmode="numeric"
        maxLength={12}
        error={fieldError(errors, 'perDay')}
      />
    </>
  );
}

export interface PartnerPageProps {
  readonly ctx: BackOfficeContext;
  readonly details: PartnerDetails;
  readonly info: PartnerNotice | null;
  readonly settings?: { values: SettingsBody; errors: readonly FormError[] } | undefined;
  readonly newKey?: { values: NewKeyBody; errors: readonly FormError[] } | undefined;
  /** What the partner watches (read only). */
  readonly watches?: WatchSummary | undefined;
  readonly webhooks?:
    readonly { endpoint: Endpoint; deliveries: readonly Delivery[] }[] | undefined;
}

export function PartnerPage({
  ctx,
  details,
  info,
  settings,
  newKey,
  watches,
  webhooks,
}: PartnerPageProps) {
  const tr = translator(ctx);
  const { partner } = details;
  return (
    <>
      <p class="back">
        <a href={href(ctx, partnersPath)}>{tr('admin.partners.back')}</a>
      </p>
      <h1>{partner.name}</h1>
      {info && <Notice>{tr(`admin.partners.info.${info}`)}</Notice>}
      <KeysSection ctx={ctx} details={details} />
      <NewKeyForm ctx={ctx} partnerId={partner.id} form={newKey} />
      <UsageSection ctx={ctx} details={details} />
      {watches && <WatchesSection ctx={ctx} watches={watches} />}
      {webhooks && <WebhooksSection ctx={ctx} partnerId={partner.id} webhooks={webhooks} />}
      <SettingsForm ctx={ctx} partner={partner} form={settings} />
    </>
  );
}

function keyStatus(ctx: PageContext, key: PartnerKey): string {
  const tr = translator(ctx);
  if (key.revokedAt) return tr('admin.partners.key.revoked');
  return key.active ? tr('admin.partners.key.active') : tr('admin.partners.key.expired');
}

function KeysSection({ ctx, details }: { ctx: BackOfficeContext; details: PartnerDetails }) {
  const tr = translator(ctx);
  const id = details.partner.id;
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{tr('admin.partners.keys')}</h2>
      {details.keys.length === 0 ? (
        <p>{tr('admin.partners.keys.none')}</p>
      ) : (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">{tr('admin.partners.key.label')}</th>
                <th scope="col">{tr('admin.partners.key.shown')}</th>
                <th scope="col">{tr('admin.partners.key.scopes')}</th>
                <th scope="col">{tr('admin.partners.key.status')}</th>
                <th scope="col">{tr('admin.partners.key.lastUsedAt')}</th>
                <th scope="col">{tr('admin.partners.key.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {details.keys.map((key) => (
                <tr key={key.id}>
                  <td>{key.label}</td>
                  <td>
                    <code>{key.shown}</code>
                  </td>
                  <td>{key.scopes.join(', ')}</td>
                  <td>
                    {keyStatus(ctx, key)}
                    {key.active && key.expiresAt && (
                      <>
                        {' '}
                        ({tr('admin.partners.key.until')} <Time ctx={ctx} date={key.expiresAt} />)
                      </>
                    )}
                  </td>
                  <td>
                    {key.lastUsedAt ? (
                      <Time ctx={ctx} date={key.lastUsedAt} />
                    ) : (
                      tr('admin.partners.key.never')
                    )}
                  </td>
                  <td>{key.active && <KeyActions ctx={ctx} partnerId={id} keyId={key.id} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function KeyActions({
  ctx,
  partnerId,
  keyId,
}: {
  ctx: BackOfficeContext;
  partnerId: number;
  keyId: number;
}) {
  const tr = translator(ctx);
  const base = `${partnerPath(partnerId)}/kunci/${keyId}`;
  const overlapId = `overlap-${keyId}`;
  return (
    <>
      <form method="post" action={href(ctx, `${base}/ganti`)}>
        <CsrfField ctx={ctx} />
        <label for={overlapId}>{tr('admin.partners.key.overlap')}</label>
        <select id={overlapId} name="expireOldInSeconds">
          <option value="86400">{tr('admin.partners.key.overlap.day')}</option>
          <option value="3600">{tr('admin.partners.key.overlap.hour')}</option>
          <option value="0">{tr('admin.partners.key.overlap.none')}</option>
        </select>
        <button type="submit" class="button button-secondary">
          {tr('admin.partners.key.roll')}
        </button>
      </form>
      <form method="post" action={href(ctx, `${base}/cabut`)}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button button-danger">
          {tr('admin.partners.key.revoke')}
        </button>
      </form>
    </>
  );
}

function NewKeyForm({
  ctx,
  partnerId,
  form,
}: {
  ctx: BackOfficeContext;
  partnerId: number;
  form: { values: NewKeyBody; errors: readonly FormError[] } | undefined;
}) {
  const tr = translator(ctx);
  const errors = form?.errors ?? [];
  const checked = form?.values.scopes ?? ['check'];
  const scopeError = fieldError(errors, 'scopes');
  return (
    <section aria-labelledby="new-key-title">
      <h2 id="new-key-title">{tr('admin.partners.newKey')}</h2>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form
        class="card"
        method="post"
        action={href(ctx, `${partnerPath(partnerId)}/kunci`)}
        novalidate
      >
        <CsrfField ctx={ctx} />
        <Field
          id="label"
          label={tr('admin.partners.key.label')}
          hint={tr('admin.partners.key.label.hint')}
          value={form?.values.label ?? ''}
          maxLength={100}
          error={fieldError(errors, 'label')}
        />
        <fieldset class="choices-list" aria-describedby={scopeError ? 'scopes-error' : undefined}>
          <legend id="scopes">{tr('admin.partners.key.scopes')}</legend>
          {scopeError && (
            <p class="field-error" id="scopes-error">
              <span>{scopeError}</span>
            </p>
          )}
          {scopes.map((scope) => (
            <label key={scope} class="choice" for={`scope-${scope}`}>
              <input
                type="checkbox"
                id={`scope-${scope}`}
                name="scopes"
                value={scope}
                checked={checked.includes(scope)}
              />
              <span>
                <span class="choice-name">{scope}</span>
                <span class="choice-hint">{tr(`admin.partners.scope.${scope}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <Field
          id="expiresAt"
          name="expiresOn"
          type="date"
          label={tr('admin.partners.key.expires')}
          hint={tr('admin.partners.key.expires.hint')}
          value={form?.values.expiresOn ?? ''}
          error={fieldError(errors, 'expiresAt')}
        />
        <button type="submit" class="button button-block">
          {tr('admin.partners.key.create')}
        </button>
      </form>
    </section>
  );
}

function UsageSection({ ctx, details }: { ctx: PageContext; details: PartnerDetails }) {
  const tr = translator(ctx);
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">{tr('admin.partners.usage')}</h2>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th scope="col">{tr('admin.partners.usage.day')}</th>
              <th scope="col">{tr('admin.partners.usage.requests')}</th>
              <th scope="col">{tr('admin.partners.usage.checks')}</th>
              <th scope="col">{tr('admin.partners.usage.reports')}</th>
              <th scope="col">{tr('admin.partners.usage.refusals')}</th>
            </tr>
          </thead>
          <tbody>
            {[...details.usage].reverse().map((u) => (
              <tr key={u.day}>
                <th scope="row">
                  <time datetime={u.day}>{u.day}</time>
                </th>
                <td>{u.requests}</td>
                <td>{u.checks}</td>
                <td>{u.reports}</td>
                <td>{u.refusals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function WatchesSection({ ctx, watches }: { ctx: PageContext; watches: WatchSummary }) {
  const tr = translator(ctx);
  const codes = watches.providerCodes;
  return (
    <section aria-labelledby="watches-title">
      <h2 id="watches-title">{tr('admin.partners.watches')}</h2>
      <dl class="details">
        <dt>{tr('admin.partners.watches.hashes')}</dt>
        <dd>{watches.hashes.toLocaleString(ctx.lang === 'en' ? 'en-GB' : 'id-ID')}</dd>
        <dt>{tr('admin.partners.watches.providers')}</dt>
        <dd>
          {codes.length > 0
            ? tr('admin.partners.watches.providers.yes', { codes: codes.join(', ') })
            : tr('admin.partners.watches.providers.no')}
        </dd>
      </dl>
    </section>
  );
}

function SettingsForm({
  ctx,
  partner,
  form,
}: {
  ctx: BackOfficeContext;
  partner: Partner;
  form: { values: SettingsBody; errors: readonly FormError[] } | undefined;
}) {
  const tr = translator(ctx);
  const errors = form?.errors ?? [];
  const values: SettingsBody = form?.values ?? {
    name: partner.name,
    contactEmail: partner.contactEmail,
    perMinute: String(partner.perMinute),
    perDay: String(partner.perDay),
    providerCodes: partner.providerCodes.join(', '),
  };
  const holdsCodes = partner.kind === 'bank' || partner.kind === 'ewallet';
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">{tr('admin.partners.settings')}</h2>
      <p>
        {tr('admin.partners.kind')}: {tr(`admin.partners.kind.${partner.kind}`)}
      </p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form class="card" method="post" action={href(ctx, partnerPath(partner.id))} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          id="settings-name"
          name="name"
          label={tr('admin.partners.name')}
          value={values.name ?? ''}
          maxLength={200}
          error={fieldError(errors, 'name')}
        />
        <Field
          id="settings-contactEmail"
          name="contactEmail"
          type="email"
          label={tr('admin.partners.contactEmail')}
          value={values.contactEmail ?? ''}
          maxLength={320}
          error={fieldError(errors, 'contactEmail')}
        />
        <LimitFields ctx={ctx} values={values} errors={errors} />
        {holdsCodes && (
          <Field
            id="providerCodes"
            label={tr('admin.partners.providerCodes')}
            hint={tr('admin.partners.providerCodes.hint')}
            value={values.providerCodes ?? ''}
            maxLength={1000}
            error={fieldError(errors, 'providerCodes')}
          />
        )}
        <button type="submit" class="button button-block">
          {tr('admin.partners.save')}
        </button>
      </form>
    </section>
  );
}

/** Shown once, in this answer only: nothing stores the key in readable form. */
export function IssuedKeyPage({
  ctx,
  partner,
  issued,
}: {
  ctx: BackOfficeContext;
  partner: Partner;
  issued: IssuedKey;
}) {
  const tr = translator(ctx);
  return (
    <div class="narrow">
      <h1>{tr('admin.partners.issued.title')}</h1>
      <section class="card otp-card" aria-labelledby="issued-title">
        <h2 id="issued-title">
          {tr('admin.partners.issued.for', { label: issued.key.label, partner: partner.name })}
        </h2>
        <p class="otp">
          <CopyField
            lang={ctx.lang}
            id="api-key"
            label={tr('admin.partners.issued.label')}
            value={issued.secret}
            copy={tr('admin.partners.issued.copy')}
          />
        </p>
        <div class="notice notice-caution">
          <WarningIcon />
          <div>
            <p>{tr('admin.partners.issued.once')}</p>
          </div>
        </div>
      </section>
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, partnerPath(partner.id))}>
          {tr('admin.partners.issued.back')}
        </a>
      </p>
      <CopyScript />
    </div>
  );
}
