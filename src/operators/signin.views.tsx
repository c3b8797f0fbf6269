// Signing in to the back office as views: the sign-in form, TOTP enrolment
// with a QR code, and the password change.
import { lazyRequire } from '../shared/lazy-require.ts';
import { href, translator } from '../http/layout.tsx';
import { passwordRules } from './passwords.ts';
import {
  CsrfField,
  ErrorSummary,
  Field,
  fieldError,
  Notice,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths, signInPath } from '../backoffice/paths.ts';

/** The QR code maker, loaded when an operator first enrols. */
const qrcode = lazyRequire<typeof import('qrcode')>('qrcode');

// ---------------------------------------------------------------------------
// The sign-in page

interface SignInProps {
  readonly ctx: BackOfficeContext;
  readonly email: string;
  readonly token: string;
  readonly next: string | null;
  readonly errors: readonly FormError[];
  readonly notice: string | null;
}

export function SignInPage({ ctx, email, token, next, errors, notice }: SignInProps) {
  const tr = translator(ctx);
  return (
    <div class="narrow">
      <h1>{tr('admin.signIn.title')}</h1>
      <p class="lead">{tr('admin.signIn.lead')}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form class="card" method="post" action={href(ctx, signInPath(next))} novalidate>
        <input type="hidden" name="_csrf" value={token} />
        <Field
          id="email"
          type="email"
          label={tr('admin.signIn.email')}
          value={email}
          autocomplete="username"
          inputmode="email"
          maxLength={320}
          autofocus={errors.length === 0}
          error={fieldError(errors, 'email')}
        />
        <Field
          id="password"
          type="password"
          label={tr('admin.signIn.password')}
          autocomplete="current-password"
          maxLength={1024}
          error={fieldError(errors, 'password')}
        />
        <Field
          id="totp"
          label={tr('admin.signIn.totp')}
          hint={tr('admin.signIn.totp.hint')}
          autocomplete="one-time-code"
          inputmode="numeric"
          maxLength={12}
          class="code-input"
          error={fieldError(errors, 'totp')}
        />
        <button type="submit" class="button button-block">
          {tr('admin.signIn.submit')}
        </button>
      </form>
      <p class="small">{tr('admin.signIn.help')}</p>
    </div>
  );
}

// ---------------------------------------------------------------------------
// TOTP enrolment

/** "ABCD EFGH …": easier to type into an authenticator by hand. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

interface EnrollmentProps {
  readonly ctx: BackOfficeContext;
  readonly qrSrc: string;
  readonly secret: string;
  readonly errors: readonly FormError[];
}

export function EnrollmentPage({ ctx, qrSrc, secret, errors }: EnrollmentProps) {
  const tr = translator(ctx);
  return (
    <div class="narrow">
      <h1>{tr('admin.totp.title')}</h1>
      <p class="lead">{tr('admin.totp.lead')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <ol class="steps">
        <li>{tr('admin.totp.step.install')}</li>
        <li>
          {tr('admin.totp.step.scan')}
          <div class="enrol">
            <img class="qr" src={qrSrc} alt={tr('admin.totp.qr.alt')} width={200} height={200} />
            <dl class="details">
              <dt>{tr('admin.totp.secret')}</dt>
              <dd>
                <code class="secret" id="totp-secret">
                  {groupSecret(secret)}
                </code>
              </dd>
              <dt>{tr('admin.totp.account')}</dt>
              <dd>{ctx.session?.operator.email}</dd>
              <dt>{tr('admin.totp.kind')}</dt>
              <dd>{tr('admin.totp.kind.value')}</dd>
            </dl>
          </div>
        </li>
        <li>{tr('admin.totp.step.code')}</li>
      </ol>
      <form class="card" method="post" action={href(ctx, adminPaths.totp)} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          id="code"
          label={tr('admin.totp.code')}
          hint={tr('admin.totp.code.hint')}
          autocomplete="one-time-code"
          inputmode="numeric"
          maxLength={12}
          class="code-input"
          error={fieldError(errors, 'code')}
        />
        <button type="submit" class="button button-block">
          {tr('admin.totp.submit')}
        </button>
      </form>
    </div>
  );
}

/**
 * The QR code of an otpauth URL, as an image address. An image, not inline
 * markup: the SVG is the qrcode library's output, and as a data: image it
 * cannot run or restyle anything on the page.
 */
export async function qrCodeSrc(otpauthUrl: string): Promise<string> {
  const svg = await qrcode().toString(otpauthUrl, { type: 'svg', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

// ---------------------------------------------------------------------------
// Password change

export function PasswordPage({
  ctx,
  errors,
}: {
  ctx: BackOfficeContext;
  errors: readonly FormError[];
}) {
  const tr = translator(ctx);
  const oneTime = ctx.session?.stage === 'password';
  return (
    <div class="narrow">
      <h1>{tr('admin.password.title')}</h1>
      <p class="lead">{tr(oneTime ? 'admin.password.lead.oneTime' : 'admin.password.lead')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form class="card" method="post" action={href(ctx, adminPaths.password)} novalidate>
        <CsrfField ctx={ctx} />
        {/* A hidden username lets password managers file the new password under the right account. */}
        <input
          type="hidden"
          name="username"
          autocomplete="username"
          value={ctx.session?.operator.email}
        />
        <Field
          id="currentPassword"
          type="password"
          label={tr(oneTime ? 'admin.password.current.oneTime' : 'admin.password.current')}
          autocomplete="current-password"
          maxLength={1024}
          error={fieldError(errors, 'currentPassword')}
        />
        <Field
          id="newPassword"
          type="password"
          label={tr('admin.password.new')}
          hint={tr('admin.password.new.hint', { min: passwordRules.minLength })}
          autocomplete="new-password"
          maxLength={1024}
          error={fieldError(errors, 'newPassword')}
        />
        <Field
          id="confirmPassword"
          type="password"
          label={tr('admin.password.confirm')}
          autocomplete="new-password"
          maxLength={1024}
          error={fieldError(errors, 'confirmPassword')}
        />
        <button type="submit" class="button button-block">
          {tr('admin.password.submit')}
        </button>
      </form>
    </div>
  );
}
