// The part every receipt shares (report, seller registration,
// normalization): the warning to keep the tracking link, the link, and the
// full address written out to copy, styled so that it is never cut off.
import { WarningIcon } from './icons.tsx';

export interface SaveTrackingLinkProps {
  readonly title: string;
  readonly text: string;
  readonly linkText: string;
  /** The tracking page's path, with the ticket and the token. */
  readonly path: string;
  /** The site's public origin, for the address written out. */
  readonly origin: string;
}

export function SaveTrackingLink({ title, text, linkText, path, origin }: SaveTrackingLinkProps) {
  return (
    <div class="notice notice-caution receipt-save">
      <WarningIcon />
      <div>
        <h2>{title}</h2>
        <p>{text}</p>
        <p>
          <a class="tracking-link" href={path}>
            {linkText}
          </a>
        </p>
        <p>
          <code class="token">{new URL(path, origin).toString()}</code>
        </p>
      </div>
    </div>
  );
}
