// The seller's proof as it looks, once a registration is approved: the signed
// seller page's link to copy, its QR code (to show, and to download as PNG or
// SVG) and the badge with the snippet that puts it on a shop. What the page
// shows is loaded from wherever the page was opened (paths of this site);
// the public origin is written only into what leaves the page: the link, the
// QR code's content and the snippet.
import { isMessageKey, t } from '../shared/messages.ts';
import { InfoIcon, ShieldIcon } from '../http/icons.tsx';
import { translator, type PageContext } from '../http/layout.tsx';
import { CopyButton, CopyScript } from '../http/receipt.tsx';
import { badgeSize } from './badge.views.ts';
import { downloadParam } from './registrations.paths.ts';
import type { SellerLinks, SellerProof } from './registrations.service.ts';

/** The QR code's size on the page: a phone's camera reads it, and it fits a 360 px screen. */
const qrShownSize = 200;

function downloadPath(path: string): string {
  return `${path}&${downloadParam}=1`;
}

function NotYet({ ctx, proof }: { ctx: PageContext; proof: SellerProof }) {
  const tr = translator(ctx);
  const key = `sellerProof.status.${proof.status}`;
  return (
    <section class="status status-normalized" aria-labelledby="proof-heading" role="status">
      <h2 class="status-heading" id="proof-heading">
        <InfoIcon />
        <span>{tr('sellerProof.notYet.title', { ticket: proof.ticket })}</span>
      </h2>
      <p>{isMessageKey(key) ? t(ctx.lang, key) : proof.status}</p>
    </section>
  );
}

function QrCode({ ctx, links }: { ctx: PageContext; links: SellerLinks }) {
  const tr = translator(ctx);
  return (
    <figure class="seller-qr">
      <img
        src={links.paths.qr}
        alt={tr('sellerProof.qr.alt')}
        width={qrShownSize}
        height={qrShownSize}
      />
      <figcaption>{tr('sellerProof.qr')}</figcaption>
      <p class="seller-downloads">
        <a href={downloadPath(links.paths.qrPng)} download id="qr-download-png">
          {tr('sellerProof.qr.downloadPng')}
        </a>
        <a href={downloadPath(links.paths.qr)} download id="qr-download-svg">
          {tr('sellerProof.qr.downloadSvg')}
        </a>
      </p>
      <p class="hint">{tr('sellerProof.qr.downloadHint')}</p>
    </figure>
  );
}

function Ready(props: { ctx: PageContext; links: SellerLinks; origin: string }) {
  const { ctx, links, origin } = props;
  const tr = translator(ctx);
  const publicUrl = (path: string) => new URL(path, origin).toString();
  const page = publicUrl(links.paths.page);
  const badgeAlt = tr('sellerProof.badge.alt');
  const snippet = `<a href="${page}"><img src="${publicUrl(links.paths.badge)}" alt="${badgeAlt}" width="${badgeSize.width}" height="${badgeSize.height}"></a>`;
  return (
    <section class="status status-seller seller-proof" aria-labelledby="proof-heading">
      <h2 class="status-heading" id="proof-heading">
        <ShieldIcon />
        <span>{tr('sellerProof.ready.title')}</span>
      </h2>
      <p>{tr('sellerProof.ready.text')}</p>
      <h3>{tr('sellerProof.link')}</h3>
      <p>
        <a class="seller-link" id="seller-link" href={page}>
          {tr('sellerProof.link.open')}
        </a>
      </p>
      {/* Written out, not in a field: a screenshot keeps the whole address. */}
      <p class="copy-field">
        <code class="token" id="seller-link-url">
          {page}
        </code>
        <CopyButton
          lang={ctx.lang}
          id="seller-link-url"
          copy={t(ctx.lang, 'trackingCode.copyLink')}
        />
      </p>
      <div class="seller-assets">
        <QrCode ctx={ctx} links={links} />
        <figure>
          <img
            src={links.paths.badge}
            alt={badgeAlt}
            width={badgeSize.width}
            height={badgeSize.height}
          />
          <figcaption>{tr('sellerProof.badge')}</figcaption>
        </figure>
      </div>
      <h3>{tr('sellerProof.embed')}</h3>
      <p class="hint">{tr('sellerProof.embed.hint')}</p>
      <pre class="seller-snippet">
        <code>{snippet}</code>
      </pre>
      <CopyScript />
    </section>
  );
}

/**
 * The proof of a registration: not yet (with its status), or the link, QR
 * code and badge; `origin` is the site's public origin (PUBLIC_BASE_URL, or
 * the one the page was opened at).
 */
export function ProofLinks(props: { ctx: PageContext; proof: SellerProof; origin: string }) {
  const { ctx, proof } = props;
  if (!proof.links) return <NotYet ctx={ctx} proof={proof} />;
  return <Ready ctx={ctx} links={proof.links} origin={props.origin} />;
}
