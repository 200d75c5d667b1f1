/**
 * The text an SMS built in the builder carries (Send SMS, Manual SMS's task, Internal Notification
 * SMS, Send Test SMS). SMS carries no files, so each attachment goes as its link on a line of its
 * own after the message; Twilio takes at most 1,600 characters.
 */
export const SMS_MAX_CHARS = 1600;

export function smsWithAttachmentLinks(message: string, attachmentUrls: readonly string[]): string {
  return [message.trim(), ...attachmentUrls].filter((s) => s.length > 0).join('\n');
}

/** Why `body` cannot go as one text, or null when it fits. */
export function smsTooLong(body: string): string | null {
  if (body.length <= SMS_MAX_CHARS) return null;
  return `The message is ${body.length.toLocaleString('en-US')} characters once filled; a text can carry at most ${SMS_MAX_CHARS.toLocaleString('en-US')}`;
}
