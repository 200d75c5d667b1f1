import type { SoundName } from './sdk-port';

/**
 * The SDK's sounds come from local files, never Twilio's CDN (an unreachable CDN delays `incoming`
 * by ~2 s). They live in `resources/sounds/*.wav` and must be served to the renderer under
 * `/sounds/` (see README.md): `/sounds/incoming.wav`, `/sounds/dtmf0.wav`, …
 */
export const SOUND_NAMES: readonly SoundName[] = [
  'incoming',
  'outgoing',
  'disconnect',
  'dtmf0',
  'dtmf1',
  'dtmf2',
  'dtmf3',
  'dtmf4',
  'dtmf5',
  'dtmf6',
  'dtmf7',
  'dtmf8',
  'dtmf9',
  'dtmfs',
  'dtmfh',
];

export const DEFAULT_SOUNDS_BASE_URL = '/sounds/';

/** The hold loop the caller hears (`resources/sounds/hold.wav`); not an SDK sound. */
export function holdMusicUrl(baseUrl: string = DEFAULT_SOUNDS_BASE_URL): string {
  return `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}hold.wav`;
}

/** `{ incoming: '/sounds/incoming.wav', … }` for `new Device(token, { sounds })`. */
export function localSounds(baseUrl: string = DEFAULT_SOUNDS_BASE_URL): Record<SoundName, string> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return Object.fromEntries(SOUND_NAMES.map((name) => [name, `${base}${name}.wav`])) as Record<SoundName, string>;
}
