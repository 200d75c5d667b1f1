import { ipcEvents, type EventPayload, type IpcEventName } from '../../shared/ipc';

/** Where main → renderer events go: Electron webContents, or browser-host sockets. */
export type EventSink = (event: IpcEventName, payload: unknown) => void;

export interface RendererEvents {
  emit<E extends IpcEventName>(event: E, payload: EventPayload<E>): void;
  addSink(sink: EventSink): () => void;
}

/** Validates every pushed event against the contract before any window sees it. */
export function createRendererEvents(onInvalid: (event: string, error: unknown) => void = () => {}): RendererEvents {
  const sinks = new Set<EventSink>();
  return {
    emit(event, payload) {
      const parsed = ipcEvents[event].safeParse(payload);
      if (!parsed.success) {
        onInvalid(event, parsed.error);
        return;
      }
      for (const sink of sinks) sink(event, parsed.data);
    },
    addSink(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
  };
}
