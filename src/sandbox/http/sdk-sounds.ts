// Twilio's sound host (sdk.twilio.com/js/client/sounds/releases/<release>/<name>.<mp3|ogg>): the
// Voice SDK loads its ringtone and tones from there and holds an incoming call's `incoming`
// event until the ringtone has loaded (up to ~2 s). Served from the sandbox so a page with
// default options rings at once. The audio is the project's own tones (resources/sounds, WAV
// whatever the extension asked for: browsers sniff the format), not Twilio's recordings.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { EventLog } from '../events/event-log';
import { allowCrossOrigin, answerPreflight } from './cors';

const SOUNDS_DIR = new URL('../../../resources/sounds/', import.meta.url);

/** SDK sound file name → the project's sound file. */
const FILE_OF_SOUND: Record<string, string> = {
  incoming: 'incoming.wav', outgoing: 'outgoing.wav', disconnect: 'disconnect.wav',
  ...Object.fromEntries(Array.from({ length: 10 }, (_, d) => [`dtmf-${d}`, `dtmf${d}.wav`])),
  'dtmf-hash': 'dtmfh.wav', 'dtmf-star': 'dtmfs.wav',
};

export const SOUNDS_PATH_PREFIX = '/js/client/sounds/releases/';

export function registerSdkSounds(app: FastifyInstance, events: EventLog): void {
  const cache = new Map<string, Buffer>();
  const load = (file: string): Buffer => {
    let data = cache.get(file);
    if (!data) cache.set(file, (data = readFileSync(new URL(file, SOUNDS_DIR))));
    return data;
  };
  const path = `${SOUNDS_PATH_PREFIX}:release/:file`;
  answerPreflight(app, path);
  app.get(path, { exposeHeadRoute: true }, async (req, reply) => {
    const { file } = req.params as { file: string };
    const match = /^([a-z0-9-]+)\.(mp3|ogg)$/.exec(file);
    const local = match ? FILE_OF_SOUND[match[1] ?? ''] : undefined;
    allowCrossOrigin(reply, req.headers.origin);
    let data: Buffer | undefined;
    try {
      data = local ? load(local) : undefined;
    } catch {
      data = undefined; // resources/sounds missing from this build
    }
    events.emitEvent('cdn.sound', { file, served: data !== undefined });
    if (!data) return reply.code(404).send({ error: `no sound ${file} in the sandbox` });
    return reply.header('content-type', 'audio/wav').header('cache-control', 'public, max-age=3600').send(data);
  });
}
