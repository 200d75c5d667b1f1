/**
 * 0630: voicemail drops are recorded with what the actions send (the contact's history shows
 * them): channel `voicemail`, the provider id being the drop call's CallSid.
 */
export const name = 'voicemail-drops';
export const sql = /* sql */ `
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_channel_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_channel_check CHECK (channel IN ('sms', 'whatsapp', 'email', 'voicemail'));
`;
