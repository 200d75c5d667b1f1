import { applyAudioPreferences, availableOutputs, defaultAudioPreferences, readAudioDevices, type AudioDevicesView, type AudioPreferences } from './audio-devices';
import type { SdkAudio } from './sdk-port';
import { localSounds } from './sounds';
import { VoiceError } from './voice-error';

export interface AudioRoutingPorts {
  /** The current Device's AudioHelper, or null while there is no Device. */
  audio(): SdkAudio | null;
  /** What the settings screen shows changed. */
  onChange(view: AudioDevicesView): void;
  soundsBaseUrl?: string;
}

/**
 * Microphone, speaker and ringer choices: kept as preferences (so they survive the watchdog's
 * Device rebuilds) and applied to the current Device's AudioHelper.
 */
export class AudioRouting {
  private prefs: AudioPreferences;

  constructor(
    private readonly ports: AudioRoutingPorts,
    preferences: AudioPreferences = defaultAudioPreferences,
  ) {
    this.prefs = preferences;
  }

  get preferences(): AudioPreferences {
    return this.prefs;
  }

  async setMicrophone(deviceId: string | null): Promise<void> {
    const audio = this.ports.audio();
    this.prefs = { ...this.prefs, microphone: deviceId };
    if (audio) {
      if (deviceId) await audio.setInputDevice(deviceId);
      else await audio.unsetInputDevice();
    }
    this.refresh();
  }

  async setSpeakers(deviceIds: readonly string[]): Promise<void> {
    this.prefs = { ...this.prefs, speakers: [...deviceIds] };
    const audio = this.ports.audio();
    if (audio?.isOutputSelectionSupported) await audio.speakerDevices.set(availableOutputs(deviceIds, audio.availableOutputDevices));
    this.refresh();
  }

  /** Several ringers allowed: the ringtone plays on all of them. */
  async setRingers(deviceIds: readonly string[]): Promise<void> {
    this.prefs = { ...this.prefs, ringers: [...deviceIds] };
    const audio = this.ports.audio();
    if (audio?.isOutputSelectionSupported) await audio.ringtoneDevices.set(availableOutputs(deviceIds, audio.availableOutputDevices));
    this.refresh();
  }

  /** 'Test my ringer': plays the local ringtone on the chosen ringer outputs. */
  async testRinger(): Promise<void> {
    const audio = this.ports.audio();
    if (!audio) throw new VoiceError('not-available', 'The phone is still starting; try again in a moment.');
    await audio.ringtoneDevices.test(localSounds(this.ports.soundsBaseUrl).incoming);
  }

  /**
   * After a device change during a call the SDK selects the default microphone itself, and from then
   * on every call shares that one stream (so a call could no longer be answered over a held one).
   * When the receptionist chose no microphone, hand the choice back once no call needs the stream.
   */
  async releaseSdkSelection(): Promise<void> {
    const audio = this.ports.audio();
    if (this.prefs.microphone || !audio?.inputDevice) return;
    await audio.unsetInputDevice();
    this.refresh();
  }

  /** Applies the stored choices to a new Device's AudioHelper (a device that is gone falls back to the default). */
  applyTo(audio: SdkAudio): Promise<void> {
    return applyAudioPreferences(audio, this.prefs);
  }

  /**
   * The SDK's Device starts polling the microphone's level on every animation frame when a call is
   * accepted (its AudioHelper's `inputVolume` event, SDK 2.18.5 device.ts `_maybeStartPollingVolume`),
   * whether or not anyone listens: the page then draws a frame on every vsync for the whole call,
   * and did so while ICE was being checked. Nothing here listens to it, and the AudioHelper stops
   * polling when its last `inputVolume` listener is removed, so one added and removed stops it. The
   * call's own `volume` event (its low-audio warnings) is separate and keeps running.
   */
  stopUnheardInputVolume(): void {
    const audio = this.ports.audio();
    if (!audio) return;
    const unheard = (): void => undefined;
    audio.on('inputVolume', unheard);
    audio.removeListener('inputVolume', unheard);
  }

  /** Reads the devices again (plugged, unplugged, chosen). */
  refresh(): void {
    this.ports.onChange(readAudioDevices(this.ports.audio()));
  }
}
