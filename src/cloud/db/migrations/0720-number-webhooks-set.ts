/**
 * 0720: which webhooks each number was last pointed at, at Twilio (`numbers/webhooks-job.ts`): a
 * fingerprint of the webhook set and the public URL. NULL for every number bought before it, so
 * the job points them at today's set (the voice fallback URL came with it) on its first run.
 */
export const name = 'number-webhooks-set';
export const sql = /* sql */ `
ALTER TABLE phone_numbers ADD COLUMN webhooks_set text;
`;
