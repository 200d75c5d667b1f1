import type { AgentActionConfig } from '../../shared/cloud/agents';
import { ApiError } from '../errors';
import type { OutboundHttp, OutboundRefusal } from '../http/outbound';

/** Why a Custom Action's URL is refused, as the builder shows it and the call's log records it. */
export function webhookRefusalMessage(refusal: OutboundRefusal): string {
  return refusal === 'private_address'
    ? 'This address is on a private network; the webhook must be reachable on the public internet.'
    : 'The webhook URL must be HTTPS.';
}

/**
 * A Custom Action card's URL must lead to the public internet, checked when the card is saved so
 * the builder says why (each call checks again: DNS can change). Run before the save's
 * transaction: a slow DNS answer must not hold the agent's row locked.
 */
export async function checkWebhookUrl(outbound: OutboundHttp, config: AgentActionConfig | undefined): Promise<void> {
  if (config?.type !== 'custom_action') return;
  const refusal = await outbound.check(config.url);
  if (!refusal) return;
  const message = webhookRefusalMessage(refusal);
  throw new ApiError('VALIDATION_FAILED', message, { errors: [{ path: 'config.url', message }] });
}
