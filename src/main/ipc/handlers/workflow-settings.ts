import { z } from 'zod';
import { automationSettingsViewSchema } from '../../../shared/cloud/automation-settings';
import { inboundEmailPaths, inboundEmailSettingsSchema } from '../../../shared/cloud/inbound-email';
import { reputationSettingsSchema } from '../../../shared/cloud/reputation';
import { sendingDomainSchema } from '../../../shared/cloud/sending-domains';
import { slackChannelPageSchema, slackConnectionSchema, slackConnectStartSchema, slackMemberPageSchema } from '../../../shared/cloud/slack';
import { messageTemplateSchema, templateUsageSchema } from '../../../shared/cloud/templates';
import { triggerLinkClicksSchema, triggerLinkPaths, triggerLinkSchema, triggerLinkUsageSchema } from '../../../shared/cloud/trigger-links';
import { whatsAppSettingsSchema } from '../../../shared/cloud/whatsapp';
import { IpcFailure } from '../../../shared/ipc/result';
import type { CloudApi } from '../../cloud-client/cloud-client';
import type { ExternalLinks } from '../../os/external-links';
import type { SessionService } from '../../session/session-service';
import type { NamespaceHandlers } from '../router';
import { viaCloud } from '../via-cloud';

export interface WorkflowSettingsHandlerDeps {
  session: Pick<SessionService, 'authed' | 'user'>;
  api: Pick<CloudApi, 'call'>;
  links: Pick<ExternalLinks, 'check' | 'open'>;
}

const segment = encodeURIComponent;

/**
 * The settings the workflow actions rely on. They live in the cloud (admins only — the cloud checks
 * too and scopes every id to the caller's practice); offline is said plainly, an older cloud too.
 */
export function workflowSettingsHandlers(deps: WorkflowSettingsHandlerDeps): NamespaceHandlers<'workflowSettings'> {
  const call = async <S extends z.ZodType>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body: unknown, schema: S): Promise<z.output<S>> => {
    if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only account admins can change these settings.');
    return viaCloud(() => deps.session.authed((token) => deps.api.call(token, method, url, body, schema)), {
      unreachable: 'The cloud cannot be reached: these settings are changed online. Try again when you are connected.',
      notSupported: 'This cloud does not offer this setting yet.',
    });
  };
  const pageQuery = (input: { cursor?: string | undefined; search?: string | undefined }, extra: Record<string, string> = {}): string => {
    const params = new URLSearchParams({ limit: '50', ...extra });
    if (input.cursor) params.set('cursor', input.cursor);
    if (input.search) params.set('search', input.search);
    return params.toString();
  };
  const slack = (connectionId: string, rest = ''): string => `/v1/integrations/slack/${segment(connectionId)}${rest}`;

  return {
    'workflowSettings.templates': () => call('GET', '/v1/templates', undefined, z.array(messageTemplateSchema)),
    'workflowSettings.createTemplate': (input) => call('POST', '/v1/templates', input, messageTemplateSchema),
    'workflowSettings.updateTemplate': ({ templateId, ...changes }) => call('PATCH', `/v1/templates/${segment(templateId)}`, changes, messageTemplateSchema),
    'workflowSettings.templateUsage': ({ templateId }) => call('GET', `/v1/templates/${segment(templateId)}/usage`, undefined, templateUsageSchema),
    'workflowSettings.deleteTemplate': async ({ templateId }) => {
      await call('DELETE', `/v1/templates/${segment(templateId)}`, undefined, z.unknown());
      return { deleted: true as const };
    },

    'workflowSettings.slackConnections': () => call('GET', '/v1/integrations/slack', undefined, z.array(slackConnectionSchema)),
    'workflowSettings.slackConnect': async () => {
      const start = await call('POST', '/v1/integrations/slack/connect', undefined, slackConnectStartSchema);
      // Only links the app may open go to the browser; otherwise the screen shows the link to open by hand.
      const link = deps.links.check(start.authorizeUrl);
      const opened = link.allowed ? await deps.links.open(link.href) : false;
      return { ...start, opened };
    },
    'workflowSettings.slackDisconnect': async ({ connectionId }) => {
      await call('DELETE', slack(connectionId), undefined, z.unknown());
      return { disconnected: true as const };
    },
    'workflowSettings.slackMembers': ({ connectionId, ...input }) => call('GET', slack(connectionId, `/members?${pageQuery(input)}`), undefined, slackMemberPageSchema),
    'workflowSettings.slackChannels': ({ connectionId, type, ...input }) =>
      call('GET', slack(connectionId, `/channels?${pageQuery(input, { type })}`), undefined, slackChannelPageSchema),

    'workflowSettings.sendingDomains': () => call('GET', '/v1/sending-domains', undefined, z.array(sendingDomainSchema)),
    'workflowSettings.addSendingDomain': (input) => call('POST', '/v1/sending-domains', input, sendingDomainSchema),
    'workflowSettings.verifySendingDomain': ({ domainId }) => call('POST', `/v1/sending-domains/${segment(domainId)}/verify`, undefined, sendingDomainSchema),
    'workflowSettings.removeSendingDomain': async ({ domainId }) => {
      await call('DELETE', `/v1/sending-domains/${segment(domainId)}`, undefined, z.unknown());
      return { removed: true as const };
    },
    'workflowSettings.inboundEmail': () => call('GET', inboundEmailPaths.settings, undefined, inboundEmailSettingsSchema),
    'workflowSettings.rotateInboundEmailSecret': () => call('POST', inboundEmailPaths.rotate, undefined, inboundEmailSettingsSchema),

    'workflowSettings.automation': () => call('GET', '/v1/automation/settings', undefined, automationSettingsViewSchema),
    'workflowSettings.updateAutomation': (input) => call('PATCH', '/v1/automation/settings', input, automationSettingsViewSchema),
    'workflowSettings.reputation': () => call('GET', '/v1/reputation/settings', undefined, reputationSettingsSchema),
    'workflowSettings.updateReputation': (input) => call('PATCH', '/v1/reputation/settings', input, reputationSettingsSchema),
    'workflowSettings.whatsApp': () => call('GET', '/v1/whatsapp/settings', undefined, whatsAppSettingsSchema),
    'workflowSettings.setWhatsAppSender': (input) => call('PUT', '/v1/whatsapp/sender', input, whatsAppSettingsSchema),
    'workflowSettings.refreshWhatsAppTemplates': () => call('POST', '/v1/whatsapp/templates/refresh', undefined, whatsAppSettingsSchema),

    'workflowSettings.triggerLinks': () => call('GET', triggerLinkPaths.list, undefined, z.array(triggerLinkSchema)),
    'workflowSettings.createTriggerLink': (input) => call('POST', triggerLinkPaths.list, input, triggerLinkSchema),
    'workflowSettings.updateTriggerLink': ({ linkId, ...changes }) => call('PATCH', triggerLinkPaths.one(linkId), changes, triggerLinkSchema),
    'workflowSettings.deleteTriggerLink': async ({ linkId }) => {
      await call('DELETE', triggerLinkPaths.one(linkId), undefined, z.unknown());
      return { deleted: true as const };
    },
    'workflowSettings.triggerLinkUsage': ({ linkId }) => call('GET', `${triggerLinkPaths.one(linkId)}/usage`, undefined, triggerLinkUsageSchema),
    'workflowSettings.triggerLinkClicks': ({ linkId }) => call('GET', `${triggerLinkPaths.one(linkId)}/clicks`, undefined, triggerLinkClicksSchema),

    'workflowSettings.issueWebhookSecret': ({ workflowId }) =>
      call('POST', `/v1/workflows/${segment(workflowId)}/webhook-secret`, undefined, z.object({ url: z.string(), secret: z.string() })),
  };
}
