import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridge } from '../shared/ipc/bridge';

/**
 * The whole preload: `window.softphone`, generated from the IPC contract. No raw ipcRenderer, no
 * process.env, nothing else crosses into the page.
 */
const softphone = createBridge({
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  subscribe: (event, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
});

contextBridge.exposeInMainWorld('softphone', softphone);
