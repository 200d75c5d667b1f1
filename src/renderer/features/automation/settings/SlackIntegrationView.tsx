import { useCallback, useEffect, useState } from 'react';
import type { SlackConnection } from '../../../../shared/cloud/slack';
import { getBridge } from '../../../bridge';
import { useSession } from '../../../state/session';
import { ErrorAlert } from '../../../ui/ErrorAlert';
import { ConfirmDialog } from './ConfirmDialog';
import { loadOptions } from '../automation-actions';
import { SlackPicker, type SlackListKind } from './SlackPicker';

function DisconnectDialog(props: { connection: SlackConnection; onClose: (done: boolean) => void }) {
  const disconnect = async () => {
    const result = await getBridge().workflowSettings.slackDisconnect({ connectionId: props.connection.id });
    return result.ok ? null : result.error.message;
  };
  return (
    <ConfirmDialog title={`Disconnect ${props.connection.teamName}?`} confirmLabel="Disconnect" onConfirm={disconnect} onClose={props.onClose}>
      <p>Its Slack tokens are revoked. Slack steps that post to it are skipped, with the reason in the execution log, until it is connected again.</p>
    </ConfirmDialog>
  );
}

function Workspace(props: { connection: SlackConnection; onDisconnect: () => void }) {
  const c = props.connection;
  const [browse, setBrowse] = useState<SlackListKind | null>(null);
  return (
    <li className="settings-card">
      <h3>{c.teamName}</h3>
      <p>
        Connected {new Date(c.connectedAt).toLocaleString()}.{' '}
        {c.canPostToPrivateChannels ? 'Private channels: messages go as the person who connected it.' : 'Connected without a user token: private channels cannot be used (connect it again to allow them).'}
      </p>
      {c.lastError ? <p className="error">Slack last reported “{c.lastError}”: connect the workspace again.</p> : null}
      <div className="automation-row">
        {(['members', 'public', 'private'] as const).map((kind) => (
          <button key={kind} type="button" aria-pressed={browse === kind} onClick={() => setBrowse(browse === kind ? null : kind)}>
            {kind === 'members' ? 'Members' : kind === 'public' ? 'Public channels' : 'Private channels'}
          </button>
        ))}
        <button type="button" onClick={props.onDisconnect}>
          Disconnect
        </button>
      </div>
      {browse ? (
        <SlackPicker key={browse} connectionId={c.id} kind={browse} label={`${c.teamName}: ${browse === 'members' ? 'members' : `${browse} channels`}`} />
      ) : null}
    </li>
  );
}

/** Settings → Integrations → Slack — the connected workspaces, their members and channels, connect and disconnect. */
export function SlackIntegrationView() {
  const [connections, setConnections] = useState<SlackConnection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [link, setLink] = useState<{ url: string; expiresAt: string; opened: boolean } | null>(null);
  const [disconnecting, setDisconnecting] = useState<SlackConnection | null>(null);
  const embedded = useSession((s) => s.appInfo?.cloud.mode === 'embedded');

  const load = useCallback(async () => {
    const result = await getBridge().workflowSettings.slackConnections();
    if (result.ok) {
      setConnections(result.value);
      setError(null);
    } else setError(result.error.message);
    void loadOptions(); // the Slack panel's workspace choice
  }, []);
  useEffect(() => void load(), [load]);

  // Back from Slack's page in the browser: the list catches up without a click.
  useEffect(() => {
    if (!link) return undefined;
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [link, load]);

  const connect = async () => {
    const result = await getBridge().workflowSettings.slackConnect();
    if (!result.ok) return setError(result.error.message);
    setLink({ url: result.value.authorizeUrl, expiresAt: result.value.expiresAt, opened: result.value.opened });
    setStatus(result.value.opened ? "Slack's page opened in your browser: approve there, then choose Refresh." : "Open Slack's page (the link below), approve there, then choose Refresh.");
  };

  return (
    <section className="ws-page" aria-labelledby="ws-slack-title">
      <h3 id="ws-slack-title">Slack</h3>
      <p className="muted">Connect the practice's Slack workspace so Slack steps can message members and channels. Slack is a premium action (see Settings → Premium actions).</p>
      {embedded ? (
        <p className="ws-preview">
          Demo practice: Slack here is a stand-in on this computer with a demo workspace, “Glow Med Spa (demo Slack workspace)”, not slack.com. Connecting
          installs Aesthetix there; what it posts shows in the Demo inbox and never leaves this computer.
        </p>
      ) : null}
      <ErrorAlert message={error} />
      <p className="automation-message" role="status" aria-live="polite">
        {status}
      </p>
      <div className="automation-row">
        <button type="button" onClick={() => void connect()}>
          Connect a workspace
        </button>
        <button type="button" onClick={() => void load().then(() => setStatus('Workspaces refreshed.'))}>
          Refresh
        </button>
      </div>
      {link && !link.opened ? (
        <p className="ws-preview">
          <a href={link.url} target="_blank" rel="noreferrer">
            Open Slack's page to approve
          </a>{' '}
          (works until {new Date(link.expiresAt).toLocaleTimeString()}): <code>{link.url}</code>
        </p>
      ) : null}
      {connections === null ? (
        error ? null : <p>Loading workspaces…</p>
      ) : connections.length === 0 ? (
        <p>No Slack workspace is connected.</p>
      ) : (
        <ul className="ws-list" aria-label="Connected workspaces">
          {connections.map((c) => (
            <Workspace key={c.id} connection={c} onDisconnect={() => setDisconnecting(c)} />
          ))}
        </ul>
      )}
      {disconnecting ? (
        <DisconnectDialog
          connection={disconnecting}
          onClose={(done) => {
            const name = disconnecting.teamName;
            setDisconnecting(null);
            if (done) void load().then(() => setStatus(`Disconnected ${name}.`));
          }}
        />
      ) : null}
    </section>
  );
}
