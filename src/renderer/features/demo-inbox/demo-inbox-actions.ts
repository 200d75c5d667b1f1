import type { DemoInbox, DemoReplyResult } from '../../../shared/ipc/contract-demo-inbox';
import { getBridge } from '../../bridge';

/** The Demo inbox's only door to main: the last messages the embedded demo practice sent. */
export async function loadDemoInbox(limit = 20): Promise<{ inbox: DemoInbox } | { error: string }> {
  const result = await getBridge().demoInbox.list({ limit });
  return result.ok ? { inbox: result.value } : { error: result.error.message };
}

/** The verification code in a message, if it carries one (6 digits, as the cloud sends them). */
export function codeIn(body: string): string | null {
  return /\b(\d{6})\b/.exec(body)?.[1] ?? null;
}

/** Reply (demo practice only): the demo contact answers a caught email through the inbound email webhook. */
export async function sendDemoReply(id: string, text: string): Promise<{ result: DemoReplyResult } | { error: string }> {
  const result = await getBridge().demoInbox.reply({ id, text });
  return result.ok ? { result: result.value } : { error: result.error.message };
}

/** What the demo user is told once the cloud has the reply. */
export function replyOutcome(r: DemoReplyResult): string {
  if (r.duplicate) return 'The cloud already had this reply: it was not counted again.';
  if (r.matched) return 'Reply received. It answers an email a workflow sent: Replied is counted on that Send Email step, and Stop on Response ends the contact’s runs.';
  return 'Reply received, but it answers no email a workflow sent (only replies to workflow emails count), so nothing was counted.';
}
