import type { SettingsPatch } from '../../../shared/settings';
import type { SoftphoneBridge } from '../../../shared/ipc';
import { getBridge } from '../../bridge';
import { useVoiceStore } from '../../voice';

type SettingsResult = ReturnType<SoftphoneBridge['settings']['get']>;

/** The settings and how each global shortcut fared (bound, in conflict, refused). */
export function loadSettings(): SettingsResult {
  return getBridge().settings.get();
}

export function updateSettings(patch: SettingsPatch): SettingsResult {
  return getBridge().settings.update(patch);
}

/** Asks main to change the cloud address; main shows its own confirmation and says what happened. */
export async function changeCloud(url: string | null): Promise<string> {
  const result = await getBridge().settings.changeCloud({ url });
  return result.ok ? result.value.message : result.error.message;
}

export async function signOut(): Promise<void> {
  await getBridge().session.signOut();
}

// Audio devices belong to the VoiceEngine; nothing to do until the phone has started.
const engine = () => useVoiceStore.getState().engine;

export const setMicrophone = async (deviceId: string | null): Promise<void> => engine()?.setMicrophone(deviceId);
export const setSpeakers = async (deviceIds: readonly string[]): Promise<void> => engine()?.setSpeakers(deviceIds);
export const setRingers = async (deviceIds: readonly string[]): Promise<void> => engine()?.setRingers(deviceIds);
export const testRinger = async (): Promise<void> => engine()?.testRinger();
