// Calls: create (outbound), fetch, list, update (twiml / url / status=completed); call recordings.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { amdFormSchema, amdFromForm } from '../calls/amd';
import { parseStatusCallbackEvents } from '../calls/status-callbacks';
import { notFound, TwilioRestError } from './errors';
import { httpMethod, list, parseForm, type RawForm } from './form';
import { authenticate, sidOf, type RestDeps } from './rest-deps';
import { callJson, page, recordingJson } from './serialize';

const createSchema = z.object({
  To: z.string().min(1, "A 'To' phone number is required."),
  From: z.string().min(1, "A 'From' phone number is required."),
  Url: z.url().optional(),
  Twiml: z.string().optional(),
  ApplicationSid: z.string().optional(),
  Method: httpMethod,
  StatusCallback: z.url().optional(),
  StatusCallbackMethod: httpMethod,
  Timeout: z.coerce.number().int().min(1).max(600).optional(),
  SendDigits: z.string().regex(/^[0-9*#A-DwW]{1,32}$/).optional(),
});

const updateSchema = z.object({
  Url: z.url().optional(),
  Method: httpMethod,
  Twiml: z.string().optional(),
  Status: z.enum(['completed', 'canceled']).optional(),
});

const recordingCreateSchema = z.object({
  RecordingStatusCallback: z.url().optional(),
  RecordingStatusCallbackMethod: httpMethod,
  RecordingChannels: z.enum(['mono', 'dual']).optional(),
});

const recordingUpdateSchema = z.object({ Status: z.enum(['paused', 'in-progress', 'stopped']) });

const UNANSWERED: ReadonlySet<string> = new Set(['queued', 'initiated', 'ringing']);

export function registerCallRoutes(app: FastifyInstance, deps: RestDeps): void {
  const base = '/2010-04-01/Accounts/:AccountSid/Calls';
  const { ctx, engine } = deps;

  app.post(base + '.json', async (req, reply) => {
    authenticate(deps, req);
    const form = parseForm(createSchema, req.body);
    if (!form.Url && !form.Twiml && !form.ApplicationSid) throw new TwilioRestError(400, 21205, 'Url, Twiml or ApplicationSid is required');
    const owned = ctx.store.numberByPhone(form.From) || form.From.startsWith('client:');
    if (!owned) throw new TwilioRestError(400, 21210, `The source phone number provided, ${form.From}, is not yet verified for your account.`);
    if (!form.To.startsWith('client:') && !/^\+[1-9]\d{6,14}$/.test(form.To)) throw new TwilioRestError(400, 21211, `Invalid 'To' Phone Number: ${form.To}`);
    const app = form.ApplicationSid ? ctx.store.applications.get(form.ApplicationSid) : undefined;
    if (form.ApplicationSid && !app) throw new TwilioRestError(400, 21218, 'Invalid ApplicationSid');
    const source = form.Twiml ? { twiml: form.Twiml } : { url: form.Url ?? app?.voiceUrl ?? '', method: form.Method ?? app?.voiceMethod ?? 'POST' };
    const statusUrl = form.StatusCallback ?? app?.statusCallback;
    const leg = engine.placeOutboundCall({
      from: form.From,
      to: form.To,
      source,
      timeoutMs: (form.Timeout ?? 60) * 1000,
      amd: amdFromForm(parseForm(amdFormSchema, req.body)),
      ...(form.SendDigits ? { sendDigits: form.SendDigits } : {}),
      ...(statusUrl
        ? { statusCallback: { url: statusUrl, method: form.StatusCallbackMethod ?? 'POST', events: parseStatusCallbackEvents(list(req.body as RawForm, 'StatusCallbackEvent')) } }
        : {}),
    });
    return reply.code(201).send(callJson(leg));
  });

  app.get(base + '.json', async (req) => {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const calls = [...engine.legs.values()]
      .filter((l) => (!q.Status || l.status === q.Status) && (!q.To || l.to === q.To) && (!q.From || l.from === q.From) && (!q.ParentCallSid || l.parentCallSid === q.ParentCallSid))
      .reverse();
    return page('calls', req.url, calls.map(callJson));
  });

  app.get(base + '/:CallSid', async (req) => {
    authenticate(deps, req);
    const leg = engine.legs.get(sidOf((req.params as { CallSid: string }).CallSid));
    if (!leg) throw notFound(req.url);
    return callJson(leg);
  });

  app.post(base + '/:CallSid', async (req) => {
    authenticate(deps, req);
    const leg = engine.legs.get(sidOf((req.params as { CallSid: string }).CallSid));
    if (!leg) throw notFound(req.url);
    const form = parseForm(updateSchema, req.body);
    if (leg.isFinal) throw new TwilioRestError(400, 21220, 'Call is not in-progress. Cannot redirect.');
    // `canceled` only stops a call that has not been answered; an answered call carries on.
    // `completed` ends the call whatever its state (an unanswered one ends as canceled).
    if (form.Status === 'canceled') {
      if (UNANSWERED.has(leg.status)) engine.hangup(leg.sid);
    } else if (form.Status === 'completed') engine.hangup(leg.sid);
    else if (form.Twiml) engine.redirect(leg, { twiml: form.Twiml });
    else if (form.Url) engine.redirect(leg, { url: form.Url, method: form.Method ?? 'POST' });
    return callJson(leg);
  });

  app.post(base + '/:CallSid/Recordings.json', async (req, reply) => {
    authenticate(deps, req);
    const leg = engine.legs.get((req.params as { CallSid: string }).CallSid);
    if (!leg) throw notFound(req.url);
    if (leg.status !== 'in-progress') throw new TwilioRestError(400, 21220, 'Requested resource is not eligible for recording');
    const form = parseForm(recordingCreateSchema, req.body);
    const recording = deps.liveRecordings.start(leg, form.RecordingStatusCallback ? { url: form.RecordingStatusCallback, method: form.RecordingStatusCallbackMethod ?? 'POST' } : null);
    return reply.code(201).send(recordingJson(recording));
  });

  app.get(base + '/:CallSid/Recordings.json', async (req) => {
    authenticate(deps, req);
    const callSid = (req.params as { CallSid: string }).CallSid;
    const done = [...ctx.store.recordings.values()].filter((r) => r.callSid === callSid);
    return page('recordings', req.url, [...deps.liveRecordings.forCall(callSid), ...done].map(recordingJson));
  });

  app.post(base + '/:CallSid/Recordings/:RecordingSid', async (req) => {
    authenticate(deps, req);
    const { Status } = parseForm(recordingUpdateSchema, req.body);
    const params = req.params as { CallSid: string; RecordingSid: string };
    const sid = deps.liveRecordings.resolve(sidOf(params.CallSid), sidOf(params.RecordingSid));
    if (!sid) throw notFound(req.url);
    const updated = deps.liveRecordings.update(sid, Status);
    // Twilio answers a stop with the recording `stopped`; it completes (and calls back) afterwards.
    if (updated) return recordingJson(Status === 'stopped' ? { ...updated, status: 'stopped' } : updated);
    const finished = ctx.store.recordings.get(sid);
    if (!finished) throw notFound(req.url);
    throw new TwilioRestError(400, 21220, 'Recording is not in-progress or paused');
  });
}
