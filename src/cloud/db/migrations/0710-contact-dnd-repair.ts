/**
 * 0710: contacts that an AI agent created for a new caller before the fix in src/cloud/agents/actions.ts
 * were stored with an empty Do Not Disturb setting (`{}`), which every desktop's sync refuses
 * (its contact schema needs all four channels), so one such contact stopped the whole practice's
 * pull. They get the default (no channel in DND); a channel a row already has is kept. The desktops'
 * pull retries from before the refused page, so it picks the repaired rows up without a new seq.
 */
export const name = 'contact-dnd-repair';
export const sql = /* sql */ `
UPDATE contacts
   SET dnd = '{"call":{"inbound":false,"outbound":false},"sms":{"inbound":false,"outbound":false},"email":{"inbound":false,"outbound":false},"whatsapp":{"inbound":false,"outbound":false}}'::jsonb || dnd
 WHERE jsonb_typeof(dnd) = 'object' AND NOT (dnd ?& ARRAY['call', 'sms', 'email', 'whatsapp']);
`;
