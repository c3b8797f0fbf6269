// What the verified seller's page reads: its address (the seller's public id
// and the link's signature) and the name check a buyer sends, and the state
// of that check as the page shows it.
import * as z from 'zod';
import { safeString } from '../shared/text-input.ts';
import type { NameMatch } from './name-match.ts';

export type NameCheckState =
  | { readonly kind: 'result'; readonly given: string; readonly result: NameMatch }
  | { readonly kind: 'invalid'; readonly given: string }
  | { readonly kind: 'limited'; readonly given: string; readonly seconds: number };

export const params = z.object({ publicId: safeString().max(40) });
// Loose: `lang` and the like stay in the query for the page to read.
export const signatureQuery = z.looseObject({
  sig: safeString().max(200).optional(),
  // "1": the image as a file to save (registrations.paths.ts, downloadParam).
  unduh: safeString().max(8).optional(),
});
/** The account whose verified seller page a buyer asks for, as in its result page's path. */
export const accountParams = z.object({
  provider: safeString().max(40),
  number: safeString().max(64),
});
export const nameCheckBody = z.object({
  sig: safeString().max(200).optional(),
  nama: safeString().max(1000).optional(),
});
