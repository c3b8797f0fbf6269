// Texts of the registrations pages (public and back office), in Indonesian (the
// default) and English; merged into the one catalogue of messages.ts.
export const idRegistrations = {} as const;

export const enRegistrations: Record<keyof typeof idRegistrations, string> = {};
