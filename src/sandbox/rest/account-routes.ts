// Applications (TwiML apps) and Recordings (fetch, WAV media). Messages are in messages-routes.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { encodeWavPcm16Mono8k } from '../media/wav';
import { createApplication } from '../state/resources';
import { notFound, TwilioRestError } from './errors';
import { httpMethod, parseForm } from './form';
import { authenticate, sidOf, type RestDeps } from './rest-deps';
import { applicationJson, page, recordingJson } from './serialize';

const appFields = {
  FriendlyName: z.string().max(64).optional(),
  VoiceUrl: z.union([z.url(), z.literal('')]).optional(),
  VoiceMethod: httpMethod,
  VoiceFallbackUrl: z.union([z.url(), z.literal('')]).optional(),
  VoiceFallbackMethod: httpMethod,
  StatusCallback: z.union([z.url(), z.literal('')]).optional(),
  StatusCallbackMethod: httpMethod,
};

export function registerAccountRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx } = deps;
  const base = '/2010-04-01/Accounts/:AccountSid';

  // ---- Applications ----
  app.post(base + '/Applications.json', async (req, reply) => {
    authenticate(deps, req);
    const form = parseForm(z.object(appFields), req.body);
    const created = createApplication(ctx.store, ctx.settings.accountSid, {
      ...(form.FriendlyName ? { friendlyName: form.FriendlyName } : {}),
      ...(form.VoiceUrl ? { voiceUrl: form.VoiceUrl } : {}),
      ...(form.VoiceMethod ? { voiceMethod: form.VoiceMethod } : {}),
      ...(form.VoiceFallbackUrl ? { voiceFallbackUrl: form.VoiceFallbackUrl } : {}),
      ...(form.VoiceFallbackMethod ? { voiceFallbackMethod: form.VoiceFallbackMethod } : {}),
      ...(form.StatusCallback ? { statusCallback: form.StatusCallback } : {}),
      ...(form.StatusCallbackMethod ? { statusCallbackMethod: form.StatusCallbackMethod } : {}),
    });
    return reply.code(201).send(applicationJson(created));
  });
  app.get(base + '/Applications.json', async (req) => {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const apps = [...ctx.store.applications.values()].filter((a) => !q.FriendlyName || a.friendlyName === q.FriendlyName);
    return page('applications', req.url, apps.map(applicationJson));
  });
  app.get(base + '/Applications/:Sid', async (req) => {
    authenticate(deps, req);
    const a = ctx.store.applications.get(sidOf((req.params as { Sid: string }).Sid));
    if (!a) throw notFound(req.url);
    return applicationJson(a);
  });
  app.post(base + '/Applications/:Sid', async (req) => {
    authenticate(deps, req);
    const a = ctx.store.applications.get(sidOf((req.params as { Sid: string }).Sid));
    if (!a) throw notFound(req.url);
    const form = parseForm(z.object(appFields), req.body);
    if (form.FriendlyName !== undefined) a.friendlyName = form.FriendlyName;
    if (form.VoiceUrl !== undefined) a.voiceUrl = form.VoiceUrl;
    if (form.VoiceMethod) a.voiceMethod = form.VoiceMethod;
    if (form.VoiceFallbackUrl !== undefined) a.voiceFallbackUrl = form.VoiceFallbackUrl;
    if (form.VoiceFallbackMethod) a.voiceFallbackMethod = form.VoiceFallbackMethod;
    if (form.StatusCallback !== undefined) a.statusCallback = form.StatusCallback;
    if (form.StatusCallbackMethod) a.statusCallbackMethod = form.StatusCallbackMethod;
    a.dateUpdated = new Date();
    return applicationJson(a);
  });
  app.delete(base + '/Applications/:Sid', async (req, reply) => {
    authenticate(deps, req);
    if (!ctx.store.applications.delete(sidOf((req.params as { Sid: string }).Sid))) throw notFound(req.url);
    return reply.code(204).send();
  });

  // ---- Recordings ----
  app.get(base + '/Recordings.json', async (req) => {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const recs = [...ctx.store.recordings.values()].filter((r) => !q.CallSid || r.callSid === q.CallSid);
    return page('recordings', req.url, recs.map(recordingJson));
  });
  app.get(base + '/Recordings/:Sid', async (req, reply) => {
    const raw = (req.params as { Sid: string }).Sid;
    const sid = raw.replace(/\.(json|wav|mp3)$/, '');
    const r = ctx.store.recordings.get(sid) ?? deps.liveRecordings.view(sid);
    // Media is fetched by URL (with or without .wav) like Twilio's media_url; metadata needs auth.
    if (raw.endsWith('.json')) {
      authenticate(deps, req);
      if (!r) throw notFound(req.url);
      return recordingJson(r);
    }
    authenticate(deps, req);
    if (!r || r.status !== 'completed') throw notFound(req.url);
    if (raw.endsWith('.mp3')) throw new TwilioRestError(415, 20415, 'The sandbox serves recordings as WAV only');
    return reply.header('content-type', 'audio/x-wav').send(encodeWavPcm16Mono8k(r.samples));
  });
}
