import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectShell } from './app/connect-shell';
import { useSession } from './state/session';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Without its bridge (a browser page opened without the host's secret) the window says why.
const showBridgeError = (error: unknown) => useSession.getState().setBridgeError(error instanceof Error ? error.message : String(error));
try {
  connectShell().catch(showBridgeError);
} catch (error) {
  showBridgeError(error);
}
