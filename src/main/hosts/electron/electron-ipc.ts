import { BrowserWindow, ipcMain } from 'electron';
import type { RendererEvents } from '../../ipc/renderer-events';
import type { IpcRouter } from '../../ipc/router';

/** Routes every contract channel through the router; pushes contract events to all our windows. */
export function bindElectronIpc(router: IpcRouter, events: RendererEvents): () => void {
  for (const channel of router.channels) {
    ipcMain.handle(channel, (event, input: unknown) =>
      router.dispatch(
        channel,
        {
          id: event.sender.id,
          isMainFrame: event.senderFrame !== null && event.senderFrame === event.sender.mainFrame,
          frameUrl: event.senderFrame?.url ?? '',
        },
        input,
      ),
    );
  }
  const removeSink = events.addSink((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(event, payload);
    }
  });
  return () => {
    removeSink();
    for (const channel of router.channels) ipcMain.removeHandler(channel);
  };
}
