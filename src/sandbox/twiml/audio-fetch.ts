// Fetches the audio a <Play> (or a ConversationRelay `play`) names, as Twilio would — but only
// from loopback: the sandbox never sends traffic off the machine. Remembers each URL's result
// for a while, like Twilio's media cache, so a looping prompt is fetched once.
import { createHash } from 'node:crypto';
import { LoopSource, toneSource, type AudioSource } from '../media/audio-source';
import { encodeMulaw } from '../media/pcmu';
import type { FetchedMedia } from '../calls/party';
import { probeAudio } from './audio-probe';

export type AudioFetchResult = { ok: true; media: FetchedMedia; source: () => AudioSource } | { ok: false; code: number; reason: string };

const MAX_BYTES = 16 * 1024 * 1024;
const TIMEOUT_MS = 10_000;
const CACHE_MS = 60_000;

export function isLoopbackUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export class AudioFetcher {
  private readonly cache = new Map<string, { at: number; result: Promise<AudioFetchResult> }>();

  fetch(url: string): Promise<AudioFetchResult> {
    const hit = this.cache.get(url);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.result;
    const result = load(url);
    this.cache.set(url, { at: Date.now(), result });
    return result;
  }
}

async function load(url: string): Promise<AudioFetchResult> {
  if (!/^https?:\/\//i.test(url)) return { ok: false, code: 11200, reason: `not an http(s) URL: ${url}` };
  if (!isLoopbackUrl(url)) return { ok: false, code: 11200, reason: `the sandbox fetches media only from loopback, not ${new URL(url).host}` };
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { 'User-Agent': 'TwilioProxy/1.1' } });
  } catch (error) {
    return { ok: false, code: 11200, reason: `HTTP retrieval failure: ${String(error)}` };
  }
  if (!res.ok) return { ok: false, code: 11200, reason: `HTTP ${res.status} from ${url}` };
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MAX_BYTES) return { ok: false, code: 11200, reason: `media larger than ${MAX_BYTES} bytes` };
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const probe = probeAudio(body);
  if (!contentType.startsWith('audio/') || !probe) return { ok: false, code: 12300, reason: `Invalid Content-Type or unreadable audio (${contentType || 'none'}) at ${url}` };
  const media: FetchedMedia = {
    contentType,
    bytes: body.length,
    durationMs: probe.durationMs,
    sha256: createHash('sha256').update(body).digest('hex'),
    format: probe.format,
    ...(probe.bitrateKbps !== undefined ? { bitrateKbps: probe.bitrateKbps } : {}),
  };
  // 8 kHz PCM plays as it is; anything else is heard as a tone of the same length (no decoder).
  const pcmu = probe.pcm8k ? encodeMulaw(probe.pcm8k) : null;
  return { ok: true, media, source: () => (pcmu ? new LoopSource('play', pcmu) : toneSource(440)) };
}

const fetchers = new WeakMap<object, AudioFetcher>();

/** One fetcher (and media cache) per running sandbox. */
export function audioFetcherFor(owner: object): AudioFetcher {
  let f = fetchers.get(owner);
  if (!f) fetchers.set(owner, (f = new AudioFetcher()));
  return f;
}
