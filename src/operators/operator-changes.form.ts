// What the operator-changes page reads: the request in its address, the
// optional reason of a rejection, and the notice after a redirect.
import * as z from 'zod';

/** Notices after a redirect (`?info=`); anything else is ignored. */
export const changeNotices = ['requested', 'approved', 'rejected'] as const;
export type ChangeNotice = (typeof changeNotices)[number];

export const idParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31),
});

export const rejectionBody = z.object({ reason: z.string().max(500).optional() }).optional();
