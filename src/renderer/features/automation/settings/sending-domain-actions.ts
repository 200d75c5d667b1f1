import type { SendingDomain } from '../../../../shared/cloud/sending-domains';
import type { IpcResult } from '../../../../shared/ipc/result';
import { getBridge } from '../../../bridge';
import { loadOptions } from '../automation-actions';

/**
 * Settings → Email sending: the bridge calls behind the page (the cloud keeps the domains, checks
 * DNS and refuses what is not the practice's). After a change the builder's options are re-read,
 * so the Send Email panel's From Email check follows at once.
 */

export const listSendingDomains = (): Promise<IpcResult<SendingDomain[]>> => getBridge().workflowSettings.sendingDomains();

async function thenRefreshOptions<T>(work: Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  const result = await work;
  if (result.ok) void loadOptions();
  return result;
}

export const addSendingDomain = (domain: string) => thenRefreshOptions(getBridge().workflowSettings.addSendingDomain({ domain }));
export const verifySendingDomain = (domainId: string) => thenRefreshOptions(getBridge().workflowSettings.verifySendingDomain({ domainId }));
export const removeSendingDomain = (domainId: string) => thenRefreshOptions(getBridge().workflowSettings.removeSendingDomain({ domainId }));

/** The demo practice only: puts a domain's records in the demo DNS on this computer (a real practice uses its DNS provider). */
export const publishInDemoDns = (domain: SendingDomain) =>
  getBridge().demo.publishDnsRecords({ records: domain.records.map((r) => ({ name: r.name, value: r.value })) });
