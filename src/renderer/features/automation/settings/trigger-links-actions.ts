import type { CreateTriggerLink } from '../../../../shared/cloud/trigger-links';
import { getBridge } from '../../../bridge';
import { loadOptions } from '../automation-actions';

/**
 * Automation → Trigger links: the screen's only door to main (which asks the cloud; admins only).
 * Each call answers the IpcResult, for the screen to show; a change also refreshes the builder's
 * options, so the SMS messages' tag icon offers the links as they now are.
 */

const links = () => getBridge().workflowSettings;

export const readTriggerLinks = () => links().triggerLinks();
export const readTriggerLinkUsage = (linkId: string) => links().triggerLinkUsage({ linkId });
export const readTriggerLinkClicks = (linkId: string) => links().triggerLinkClicks({ linkId });

async function thenRefresh<T extends { ok: boolean }>(result: Promise<T>): Promise<T> {
  const done = await result;
  if (done.ok) await loadOptions();
  return done;
}

export const createTriggerLink = (input: CreateTriggerLink) => thenRefresh(links().createTriggerLink(input));
export const updateTriggerLink = (linkId: string, changes: { name?: string; url?: string }) => thenRefresh(links().updateTriggerLink({ linkId, ...changes }));
export const deleteTriggerLink = (linkId: string) => thenRefresh(links().deleteTriggerLink({ linkId }));
