import type { SdkAudio } from './sdk-port';

/**
 * Microphone, speaker and ringer choices. The ringer may be several outputs at once (the desk
 * speakers and a headset), the speaker is where call audio plays. Choices are kept as
 * preferences and re-applied whenever the Device is rebuilt (the watchdog recreates it).
 */
export interface AudioDeviceOption {
  id: string;
  label: string;
}

export interface AudioPreferences {
  /** null: the system default microphone. */
  microphone: string | null;
  /** Empty: the system default output. */
  speakers: readonly string[];
  ringers: readonly string[];
}

export interface AudioDevicesView {
  inputs: readonly AudioDeviceOption[];
  outputs: readonly AudioDeviceOption[];
  microphone: string | null;
  speakers: readonly string[];
  ringers: readonly string[];
  /** Chromium and Electron can route output; without it speakers/ringers are fixed to the default. */
  outputSelectionSupported: boolean;
}

export const defaultAudioPreferences: AudioPreferences = { microphone: null, speakers: [], ringers: [] };

export const emptyAudioDevicesView: AudioDevicesView = {
  inputs: [],
  outputs: [],
  microphone: null,
  speakers: [],
  ringers: [],
  outputSelectionSupported: false,
};

function options(devices: Map<string, MediaDeviceInfo>, fallback: string): AudioDeviceOption[] {
  // Labels are empty until the page has had microphone permission once.
  return [...devices.values()].map((device, index) => ({ id: device.deviceId, label: device.label || `${fallback} ${index + 1}` }));
}

const ids = (set: Set<MediaDeviceInfo>): string[] => [...set].map((device) => device.deviceId);

/** What the settings screen shows, read from the SDK's AudioHelper. */
export function readAudioDevices(audio: SdkAudio | null): AudioDevicesView {
  if (!audio) return emptyAudioDevicesView;
  return {
    inputs: options(audio.availableInputDevices, 'Microphone'),
    outputs: options(audio.availableOutputDevices, 'Output'),
    microphone: audio.inputDevice?.deviceId ?? null,
    speakers: ids(audio.speakerDevices.get()),
    ringers: ids(audio.ringtoneDevices.get()),
    outputSelectionSupported: audio.isOutputSelectionSupported,
  };
}

/**
 * Keeps only the chosen outputs that exist now, falling back to `default` so a ringer that was
 * unplugged never leaves the phone silent.
 */
export function availableOutputs(chosen: readonly string[], available: Map<string, MediaDeviceInfo>): string[] {
  const present = chosen.filter((id) => available.has(id));
  return present.length > 0 ? present : ['default'];
}

/** Applies stored preferences to a (new) Device's AudioHelper. */
export async function applyAudioPreferences(audio: SdkAudio, preferences: AudioPreferences): Promise<void> {
  const microphone = preferences.microphone;
  if (microphone && audio.availableInputDevices.has(microphone)) await audio.setInputDevice(microphone);
  if (!audio.isOutputSelectionSupported) return;
  if (preferences.speakers.length > 0) await audio.speakerDevices.set(availableOutputs(preferences.speakers, audio.availableOutputDevices));
  if (preferences.ringers.length > 0) await audio.ringtoneDevices.set(availableOutputs(preferences.ringers, audio.availableOutputDevices));
}
