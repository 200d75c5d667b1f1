import type { DemoInbox } from '../../../shared/ipc/contract-demo-inbox';
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
