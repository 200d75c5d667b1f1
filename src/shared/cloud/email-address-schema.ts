import { z } from 'zod';
import { emailAddressProblem, INVALID_EMAIL } from './email-address';

/** Trimmed, at most 254 characters, and the address rule's problem as the issue unless `alsoTaken` takes the address anyway. */
const addressSchema = (invalid: string, alsoTaken: (address: string) => boolean) =>
  z
    .string()
    .trim()
    .max(254)
    .superRefine((address, ctx) => {
      const problem = emailAddressProblem(address, invalid);
      if (problem && !alsoTaken(address)) ctx.addIssue({ code: 'custom', message: problem });
    });

/**
 * The address rule (./email-address.ts) as zod schemas, for every boundary that takes an address a
 * message will be sent to: a contact's email (REST, sync push), Send Test Mail's To. Trimmed; the
 * value is kept as typed (an international domain stays in Unicode: what people search for and
 * read) and canonicalised (`canonicalEmail`) where mail leaves.
 */
export const emailAddressSchema = (invalid = INVALID_EMAIL) => addressSchema(invalid, () => false);

// What desktops before the address rule checked a pushed contact email with (zod's email format).
const olderDesktopEmail = z.email();

/**
 * A contact's email in a sync push mutation: the address rule, or what older desktops checked
 * before they queued it — a change one of them queued must still apply, never stop its outbox
 * (a few odd addresses zod's format took, such as a 65-letter local part, the rule refuses).
 */
export const pushedContactEmailSchema = addressSchema(INVALID_EMAIL, (address) => olderDesktopEmail.safeParse(address).success);
