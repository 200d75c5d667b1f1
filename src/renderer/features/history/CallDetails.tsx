import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import type { CallListItemView } from '../../../shared/ipc/views';
import { callTimeZone } from '../../lib/call-time-zone';
import { NONE } from '../../lib/none';
import { formatDateTime, formatDuration } from '../../lib/format';
import { formatPhone } from '../../lib/phone';
import { usePractice } from '../../state/practice';
import { AgentRecord } from './AgentRecord';
import { callOutcome, callSourceLabel, taskOutcomeLabel } from './call-outcome';

/**
 * One call in full, as a drawer over the history: how it went (ring time apart from talk time),
 * the disposition and note logged for it, who took it, on which line, its recordings, and — when
 * an AI agent answered — its summary, actions and transcript.
 */
export function CallDetails(props: { item: CallListItemView | null; onClose: () => void; onCallBack: (number: string) => void }) {
  const { item } = props;
  const numbers = usePractice((s) => s.directory?.phoneNumbers ?? NONE);
  const directory = usePractice((s) => s.directory);
  if (!item) return null;
  const { call } = item;
  const outcome = callOutcome(item);
  const remote = call.direction === 'inbound' ? call.from : call.to;
  const line = numbers.find((n) => n.id === call.phoneNumberId);
  const timeZone = callTimeZone(call.locationId, directory);
  return (
    <ModalOverlay className="drawer-overlay" isDismissable isOpen onOpenChange={(open) => (open ? undefined : props.onClose())}>
      <Modal className="drawer">
        <Dialog className="drawer-body" data-testid="call-details">
          <Heading slot="title" className="drawer-title">
            {item.contactName ?? formatPhone(remote)}
          </Heading>
          {item.contactName ? <p className="muted">{formatPhone(remote)}</p> : null}
          <dl className="pop">
            <dt>Call</dt>
            <dd>
              {call.direction === 'inbound' ? 'Incoming' : 'Outgoing'} · {outcome.label}
              {callSourceLabel(call) ? ` · ${callSourceLabel(call)}` : null}
            </dd>
            <dt>When</dt>
            <dd>{formatDateTime(call.startedAt, timeZone)}</dd>
            {outcome.ringSeconds !== null ? (
              <>
                <dt>Rang</dt>
                <dd>{formatDuration(outcome.ringSeconds)}</dd>
              </>
            ) : null}
            {outcome.talkSeconds !== null ? (
              <>
                <dt>Talked</dt>
                <dd>{formatDuration(outcome.talkSeconds)}</dd>
              </>
            ) : null}
            <dt>Taken by</dt>
            <dd>{item.userName ?? (outcome.kind === 'answered' ? 'Unknown' : 'Nobody')}</dd>
            <dt>Line</dt>
            <dd>{line ? `${line.name} (${formatPhone(line.number)})` : formatPhone(call.direction === 'inbound' ? call.to : call.from)}</dd>
            <dt>Disposition</dt>
            <dd>{item.disposition ? item.disposition.label : 'None logged'}</dd>
            {call.taskId ? (
              <>
                <dt>Follow-up task</dt>
                <dd>{taskOutcomeLabel(item) ?? (call.taskOutcome === 'disposition' ? `Completed: ${item.disposition?.label ?? 'disposition logged'}` : 'Worked from the Tasks queue')}</dd>
              </>
            ) : null}
            <dt>Note</dt>
            <dd data-testid="call-note" className="note-text">
              {call.note ?? <span className="muted">No note</span>}
            </dd>
            {call.recordings.length ? (
              <>
                <dt>Recordings</dt>
                <dd>
                  <ul className="plain-list">
                    {call.recordings.map((r) => (
                      <li key={r.sid}>
                        {r.kind === 'voicemail' ? 'Voicemail' : 'Call recording'}
                        {r.durationSeconds !== null ? `, ${formatDuration(r.durationSeconds)}` : ''}
                        {r.status !== 'completed' ? ` (${r.status})` : ''}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
          </dl>
          {call.agent ? <AgentRecord record={call.agent} /> : null}
          <div className="actions">
            <Button className="call" onPress={() => props.onCallBack(remote)}>
              Call back
            </Button>
            <Button slot="close" onPress={props.onClose}>
              Close
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
