// Texts of the normalizations pages (public and back office), in Indonesian (the
// default) and English; merged into the one catalogue of messages.ts.
export const idNormalizations = {} as const;

export const enNormalizations: Record<keyof typeof idNormalizations, string> = {};
