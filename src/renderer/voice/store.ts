import { create } from 'zustand';
import { initialEngineState, type VoiceEngineState } from './engine-state';
import type { VoiceEngine } from './voice-engine';

/**
 * The engine's state as a zustand store for React: `useVoiceStore((s) => s.device.status)`.
 * Read-only for the UI; commands go to the engine (`useVoiceStore.getState().engine?.accept(id)`).
 */
export interface VoiceStoreState extends VoiceEngineState {
  engine: VoiceEngine | null;
}

export const useVoiceStore = create<VoiceStoreState>(() => ({ engine: null, ...initialEngineState }));

/** Mirrors the engine into the store until the returned function is called. */
export function bindVoiceStore(engine: VoiceEngine): () => void {
  useVoiceStore.setState({ engine, ...engine.getState() });
  const off = engine.subscribe((state) => useVoiceStore.setState(state));
  return () => {
    off();
    if (useVoiceStore.getState().engine === engine) useVoiceStore.setState({ engine: null });
  };
}
