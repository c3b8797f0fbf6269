// Texts of the back office's review pages (reports queue and report page), in Indonesian
// (the default) and English; merged into the one catalogue of messages.ts.
export const idReview = {} as const;

export const enReview: Record<keyof typeof idReview, string> = {};
