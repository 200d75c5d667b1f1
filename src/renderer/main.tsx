import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectShell } from './app/connect-shell';
import { useShell } from './app/store';
import { getBridge } from './bridge';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    <App />
  </StrictMode>,
);

try {
  connectShell(getBridge()).catch((error: unknown) =>
    useShell.getState().setBridgeError(error instanceof Error ? error.message : String(error)),
  );
} catch (error) {
  useShell.getState().setBridgeError(error instanceof Error ? error.message : String(error));
}
