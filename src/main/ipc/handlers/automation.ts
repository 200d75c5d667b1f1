import { z } from 'zod';
import { AI_WRITE_CLIENT_TIMEOUT_MS, aiWriteResultSchema, aiWriteStatusSchema } from '../../../shared/cloud/ai-write';
import { dispositionSchema, teamSchema, userSchema } from '../../../shared/cloud/entities';
import { managedNumberSchema, numberPaths } from '../../../shared/cloud/numbers';
import { sendingDomainSchema, type SendingDomain } from '../../../shared/cloud/sending-domains';
import { slackConnectionSchema } from '../../../shared/cloud/slack';
import { messageTemplateSchema } from '../../../shared/cloud/templates';
import { triggerLinkPaths, triggerLinkSchema } from '../../../shared/cloud/trigger-links';
import { dryRunReportSchema, testSendResultSchema, workflowSummarySchema } from '../../../shared/cloud/workflow-builder';
import { actionTypes, metricRecipientsSchema, runStepSchema, workflowRunSchema, workflowSchema, workflowStatisticsSchema } from '../../../shared/cloud/workflows';
import { LOG_PAGE_SIZE } from '../../../shared/ipc/contract-automation';
import { IpcFailure } from '../../../shared/ipc/result';
import type { CloudApi } from '../../cloud-client/cloud-client';
import type { SessionService } from '../../session/session-service';
import type { NamespaceHandlers } from '../router';
import { viaCloud } from '../via-cloud';

export interface AutomationHandlerDeps {
  session: Pick<SessionService, 'authed' | 'user'>;
  api: Pick<CloudApi, 'call'>;
}

const path = (workflowId: string, rest = ''): string => `/v1/workflows/${encodeURIComponent(workflowId)}${rest}`;

/**
 * The Automation tab: workflows live in the cloud, so every request goes there (admins only — the
 * cloud checks too, and scopes every id to the caller's practice). Unreachable: said plainly.
 */
export function automationHandlers(deps: AutomationHandlerDeps): NamespaceHandlers<'automation'> {
  const call = <S extends z.ZodType>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body: unknown, schema: S, options?: { timeoutMs: number }): Promise<z.output<S>> => {
    if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only account admins can build automations.');
    return viaCloud(() => deps.session.authed((token) => deps.api.call(token, method, url, body, schema, options)), {
      unreachable: 'The cloud cannot be reached: workflows are built online. Try again when you are connected.',
      // An older cloud without a route: NOT_AVAILABLE, which the builder's optional pickers (options) leave empty.
      notSupported: 'This cloud does not offer this part of the Automation tab yet.',
    });
  };
  const optional = async <T>(load: Promise<T>, fallback: T): Promise<T> => {
    try {
      return await load;
    } catch (error) {
      // A picker's list that this cloud does not serve (an older cloud) leaves that picker empty.
      if (error instanceof IpcFailure && error.code === 'NOT_AVAILABLE') return fallback;
      throw error;
    }
  };

  return {
    'automation.list': async () => {
      const [workflows, summaries] = await Promise.all([
        call('GET', '/v1/workflows', undefined, z.array(workflowSchema)),
        call('GET', '/v1/workflow-summaries', undefined, z.array(workflowSummarySchema)),
      ]);
      return { workflows, summaries };
    },
    'automation.get': ({ workflowId }) => call('GET', path(workflowId), undefined, workflowSchema),
    'automation.create': (input) => call('POST', '/v1/workflows', input, workflowSchema),
    'automation.duplicate': async ({ workflowId }) => {
      const source = await call('GET', path(workflowId), undefined, workflowSchema);
      return call('POST', '/v1/workflows', { name: `Copy of ${source.name}`.slice(0, 120), draft: source.draft }, workflowSchema);
    },
    'automation.save': ({ workflowId, ...changes }) => call('PATCH', path(workflowId), changes, workflowSchema),
    'automation.publish': ({ workflowId }) => call('POST', path(workflowId, '/publish'), undefined, workflowSchema),
    'automation.pause': ({ workflowId }) => call('POST', path(workflowId, '/pause'), undefined, workflowSchema),
    'automation.delete': async ({ workflowId, inProgress }) => {
      await call('POST', path(workflowId, '/delete'), { inProgress }, z.unknown());
      return { deleted: true as const };
    },
    'automation.options': async () => {
      const [dispositions, users, teams, numbers, templates, slack, triggerLinks, sendingDomains] = await Promise.all([
        call('GET', '/v1/dispositions', undefined, z.array(dispositionSchema)),
        call('GET', '/v1/users', undefined, z.array(userSchema)),
        call('GET', '/v1/teams', undefined, z.array(teamSchema)),
        call('GET', numberPaths.managed, undefined, z.array(managedNumberSchema)),
        optional(call('GET', '/v1/templates', undefined, z.array(messageTemplateSchema)), []),
        optional(call('GET', '/v1/integrations/slack', undefined, z.array(slackConnectionSchema)), []),
        optional(call('GET', triggerLinkPaths.list, undefined, z.array(triggerLinkSchema)), []),
        optional<SendingDomain[] | null>(call('GET', '/v1/sending-domains', undefined, z.array(sendingDomainSchema)), null),
      ]);
      return {
        dispositions,
        users: users.filter((u) => !u.deletedAt).map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, phone: u.phone ?? null })),
        teams: teams.filter((t) => t.deletedAt === null).map((t) => ({ id: t.id, name: t.name })),
        numbers: numbers.map((n) => ({ id: n.id, number: n.number, name: n.name })),
        templates,
        slack,
        triggerLinks,
        sendingDomains,
      };
    },
    'automation.dryRun': ({ workflowId, draft }) => call('POST', path(workflowId, '/dry-run'), { draft }, dryRunReportSchema),
    'automation.runs': ({ workflowId, contactId }) =>
      call('GET', path(workflowId, `/runs?${new URLSearchParams({ limit: '200', ...(contactId ? { contactId } : {}) }).toString()}`), undefined, z.array(workflowRunSchema)),
    'automation.log': ({ workflowId, contactId, status, stepType, from, to, olderThan, limit }) => {
      // Every filter is applied by the cloud, so a page is the newest rows that match (older ones: `olderThan`).
      const params = new URLSearchParams({ limit: String(limit ?? LOG_PAGE_SIZE) });
      if (workflowId) params.set('workflowId', workflowId);
      if (contactId) params.set('contactId', contactId);
      if (status) params.set('status', status);
      if (stepType) params.set(stepType === 'if_else' || (actionTypes as readonly string[]).includes(stepType) ? 'type' : 'stepId', stepType);
      if (from) params.set('since', new Date(Date.parse(`${from}T00:00:00.000Z`)).toISOString());
      if (to) params.set('before', new Date(Date.parse(`${to}T23:59:59.999Z`) + 1).toISOString());
      if (olderThan) params.set('olderThan', olderThan);
      return call('GET', `/v1/workflow-logs?${params.toString()}`, undefined, z.array(runStepSchema));
    },
    'automation.statistics': ({ workflowId }) => call('GET', path(workflowId, '/statistics'), undefined, workflowStatisticsSchema),
    'automation.statisticRecipients': ({ workflowId, stepId, metric, offset }) =>
      call('GET', path(workflowId, `/statistics/${encodeURIComponent(stepId)}/${encodeURIComponent(metric)}?offset=${offset ?? 0}`), undefined, metricRecipientsSchema),
    'automation.testEmail': (input) => call('POST', '/v1/workflow-tests/email', input, testSendResultSchema),
    'automation.testSms': (input) => call('POST', '/v1/workflow-tests/sms', input, testSendResultSchema),
    'automation.testSlack': async ({ connectionId, ...message }) => {
      await call('POST', `/v1/integrations/slack/${encodeURIComponent(connectionId)}/test-message`, message, z.unknown());
      return { sent: true as const };
    },
    'automation.aiWriteStatus': () => call('GET', '/v1/ai/write', undefined, aiWriteStatusSchema),
    // The cloud waits up to its AI_TIMEOUT_MS for the AI service and then says so; the desktop waits longer.
    'automation.writeWithAi': (input) => call('POST', '/v1/ai/write', input, aiWriteResultSchema, { timeoutMs: AI_WRITE_CLIENT_TIMEOUT_MS }),
    'automation.enrol': async ({ workflowId, contactId }) => {
      await call('POST', path(workflowId, '/enrol'), { contactId, customValues: {} }, z.unknown());
      return { accepted: true as const };
    },
  };
}
