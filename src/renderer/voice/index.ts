/**
 * The VoiceEngine's public API (see README.md). The rest of the renderer imports from here only.
 */
import type { SoftphoneBridge } from '../../shared/ipc';
import { afterFrameOnScreen } from './after-paint';
import { startPhoneReporter } from './phone-reporter';
import { bindVoiceStore } from './store';
import { WebAudioHold } from './hold-audio';
import { holdMusicUrl } from './sounds';
import { createTwilioDevice, loadTwilioDeviceSounds, prepareTwilioDevice, signalingMonitor } from './twilio-device';
import { VoiceEngine, type VoiceEngineOptions } from './voice-engine';
import { browserPeerConnections } from './peer-connections';
import { browserMicrophoneWarmer } from './warm-microphone';
import { consoleVoiceLog } from './console-log';
import { followMainCommands } from './main-commands';
import type { VoiceError } from './voice-error';

export { VoiceEngine, VoiceError } from './voice-engine';
export type { CallActions, PrefetchedVoice, VoiceBridge, VoiceEngineOptions, VoiceEngineState, VoiceErrorCode, NetworkEvents } from './voice-engine';
export { useVoiceStore, bindVoiceStore, type VoiceStoreState } from './store';
export { toPhoneReport, focusCall, remoteParty } from './phone-report';
export { startPhoneReporter } from './phone-reporter';
export { isLive, isEngaged } from './call-machine';
export { engagedCall, ringingKeysTarget } from './engine-state';
export { answerRefusalIn } from './phone-commands';
export type {
  CallState,
  CallPhase,
  CallPhaseName,
  CallEnding,
  CallDirection,
  CallError,
  CallWarningName,
  HoldState,
  RecordingState,
  RejectReason,
} from './call-machine';
export { canPlaceCalls, canReceiveCalls } from './device-machine';
export type { DeviceState, DeviceStatus, DegradedReason, OfflineReason } from './device-machine';
export type { AudioDeviceOption, AudioDevicesView, AudioPreferences } from './audio-devices';
export { localSounds, holdMusicUrl, SOUND_NAMES } from './sounds';
export { WebAudioHold, type HoldAudio } from './hold-audio';
export { prepareTwilioDevice as prepareVoice, sdkVersion, signalingMonitor } from './twilio-device';
export type { SignalingEvent, SignalingSource } from './signaling-monitor';

export type StartVoiceOptions = Omit<VoiceEngineOptions, 'bridge' | 'createDevice' | 'prepareDevice' | 'loadDeviceSounds'> & {
  /** The engine refused one of main's hotkeys or tray items: the window shows why (main notifies too). */
  onCommandRefused?: (refusal: VoiceError) => void;
};

/**
 * The composition the app uses: the real SDK, the zustand store, state reports to main and the
 * phone hotkeys from main (answer, reject, hang up, mute). Returns the engine and a stop function.
 */
export function startVoice(bridge: SoftphoneBridge, options: StartVoiceOptions = {}): { engine: VoiceEngine; refreshReport(): void; stop(): void } {
  const { onCommandRefused, ...engineOptions } = options;
  const holdAudio = new WebAudioHold({ musicUrl: holdMusicUrl(engineOptions.soundsBaseUrl) });
  const log = engineOptions.log ?? consoleVoiceLog;
  const microphone = browserMicrophoneWarmer(log);
  const peerConnections = browserPeerConnections(log);
  const engine = new VoiceEngine({ signaling: signalingMonitor, holdAudio, microphone, peerConnections, ...engineOptions, bridge, createDevice: createTwilioDevice, prepareDevice: prepareTwilioDevice, loadDeviceSounds: loadTwilioDeviceSounds });
  const unbind = bindVoiceStore(engine);
  const reporter = startPhoneReporter(engine, { reportState: (report) => bridge.phone.reportState(report), afterRing: afterFrameOnScreen });
  const offCommands = followMainCommands({ bridge, handle: (command) => engine.handlePhoneCommand(command), onRefused: onCommandRefused, log });
  engine.start();
  return {
    engine,
    refreshReport: reporter.refresh,
    stop: () => {
      offCommands();
      reporter.stop();
      engine.stop();
      unbind();
    },
  };
}
