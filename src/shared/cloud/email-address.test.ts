import { describe, expect, it } from 'vitest';
import { updateContactSchema } from './api';
import { canonicalEmail, emailAddressProblem, emailDomain, INVALID_EMAIL } from './email-address';
import { emailAddressSchema } from './email-address-schema';
import { mutationSchema } from './sync';
import { testEmailSchema } from './workflow-builder';

const messageOf = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message;

describe('the email address rule', () => {
  it('accepts an international (IDN) domain; its canonical form is ASCII xn--, lower case, the local part as typed', () => {
    expect(emailAddressProblem('anna@bücher.de')).toBeNull();
    expect(canonicalEmail('anna@bücher.de')).toBe('anna@xn--bcher-kva.de');
    expect(canonicalEmail(' Anna.K@BÜCHER.de. ')).toBe('Anna.K@xn--bcher-kva.de');
    expect(canonicalEmail('ivan@пример.рф')).toBe('ivan@xn--e1afmkfd.xn--p1ai');
    expect(canonicalEmail('plain@example.com')).toBe('plain@example.com');
  });

  it('round-trips: the xn-- form is itself an address, with the same canonical form', () => {
    for (const typed of ['anna@bücher.de', 'ivan@пример.рф', 'desk@bücher-glow.example']) {
      const canonical = canonicalEmail(typed)!;
      expect(emailAddressProblem(canonical)).toBeNull();
      expect(canonicalEmail(canonical)).toBe(canonical);
      expect(emailDomain(typed)).toBe(canonical.slice(canonical.indexOf('@') + 1));
    }
    // The URL host parser decodes to the same name people typed.
    expect(new URL('http://xn--bcher-kva.de/').hostname).toBe('xn--bcher-kva.de');
  });

  it('refuses a non-ASCII local part with the reason (no SMTPUTF8), however good its domain', () => {
    for (const address of ['jürgen@example.com', 'jürgen@bücher.de', 'анна@пример.рф']) {
      expect(canonicalEmail(address)).toBeNull();
      expect(emailAddressProblem(address)).toMatch(/cannot be emailed: only the part after the @ may have international letters \(mail is sent without SMTPUTF8\)/);
    }
  });

  it('refuses what is not an address with the wording the fields showed', () => {
    for (const bad of ['', 'anna', 'anna@', '@bücher.de', 'anna@bücher', 'anna@@bücher.de', 'an na@example.com', 'anna@exa mple.com', 'anna@-bad.com',
      '.anna@example.com', 'an..na@example.com', 'anna.@example.com', 'anna@example.c', 'anna@example.com/x', 'anna@[127.0.0.1]', 'anna@127.0.0.1', `${'a'.repeat(65)}@example.com`]) {
      expect(emailAddressProblem(bad), bad).toBe(INVALID_EMAIL);
    }
    expect(emailAddressProblem('anna', 'Enter an email address')).toBe('Enter an email address');
    // The canonical form must fit SMTP's 254 too.
    expect(canonicalEmail(`a@${'ü'.repeat(60)}.${'ü'.repeat(60)}.${'ü'.repeat(60)}.de`)).toBeNull();
  });

  it('as a zod schema: trimmed, kept as typed, the reason as the issue', () => {
    expect(emailAddressSchema().parse(' anna@bücher.de ')).toBe('anna@bücher.de');
    expect(messageOf(emailAddressSchema().safeParse('not an address'))).toBe(INVALID_EMAIL);
    expect(messageOf(emailAddressSchema().safeParse('jürgen@bücher.de'))).toMatch(/SMTPUTF8/);
  });
});

describe('where a contact email or a recipient is checked', () => {
  it('the REST contact body takes an IDN address as typed and refuses the rest as before', () => {
    expect(updateContactSchema.parse({ email: 'anna@bücher.de' }).email).toBe('anna@bücher.de');
    expect(updateContactSchema.parse({ email: null }).email).toBeNull();
    expect(messageOf(updateContactSchema.safeParse({ email: 'anna' }))).toBe('Invalid email address');
    expect(messageOf(updateContactSchema.safeParse({ email: 'jürgen@example.com' }))).toMatch(/SMTPUTF8/);
  });

  it('sync push: contact.create/update take an IDN address; what older desktops checked still applies', () => {
    const create = { type: 'contact.create', idempotencyKey: 'idn-00001', payload: { name: 'Anna', email: 'anna@bücher.de' } };
    expect(mutationSchema.parse(create)).toMatchObject({ payload: { email: 'anna@bücher.de' } });
    const update = (email: string | null) => ({ type: 'contact.update', idempotencyKey: 'idn-00002', payload: { contactId: 'c1', email } });
    expect(mutationSchema.parse(update('anna@xn--bcher-kva.de'))).toMatchObject({ payload: { email: 'anna@xn--bcher-kva.de' } });
    expect(mutationSchema.parse(update(null))).toMatchObject({ payload: { email: null } });
    // zod's format took a 65-letter local part; a desktop that queued it must not be stuck.
    expect(mutationSchema.safeParse(update(`${'a'.repeat(65)}@example.com`)).success).toBe(true);
    expect(messageOf(mutationSchema.safeParse(update('anna')))).toBe('Invalid email address');
    expect(messageOf(mutationSchema.safeParse(update('jürgen@bücher.de')))).toMatch(/SMTPUTF8/);
  });

  it('Send Test Mail’s To keeps its own wording', () => {
    const input = { to: 'anna@bücher.de', fromName: 'Glow', fromEmail: 'desk@example.com', subject: 's', body: 'b' };
    expect(testEmailSchema.safeParse(input).success).toBe(true);
    expect(messageOf(testEmailSchema.safeParse({ ...input, to: 'anna' }))).toBe('Enter an email address to send the test to');
  });
});
