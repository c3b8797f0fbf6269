// Texts of the public report, tracking and submission pages, in Indonesian
// (the default) and English; merged into the one catalogue of messages.ts.
export const idReports = {} as const;

export const enReports: Record<keyof typeof idReports, string> = {};
