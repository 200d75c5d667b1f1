import { memo } from 'react';
import type { CallListItemView } from '../../../shared/ipc/views';
import { formatDateTime, formatDuration } from '../../lib/format';
import { formatPhone } from '../../lib/phone';
import { callOutcome, callSourceLabel, taskOutcomeLabel, type CallOutcome } from './call-outcome';
import { PhoneIcon } from '../../ui/icons';

/** A row's fixed height in px (styles.css .history-row says the same). */
export const ROW_HEIGHT = 56;

/** The party on the other end of a call: the contact's name, else the formatted number. */
export function counterpart(item: CallListItemView): { name: string; number: string } {
  const number = item.call.direction === 'inbound' ? item.call.from : item.call.to;
  return { name: item.contactName ?? formatPhone(number), number };
}

interface RowText {
  /** When the call started, in `timeZone` (as its details show it), with the year when not this year. */
  when: string;
  timeZone: string | undefined;
  who: { name: string; number: string };
  /** The number under a contact's name (formatted), or null. */
  numberLine: string | null;
  outcome: CallOutcome;
  source: string | null;
  taskOutcome: string | null;
  length: string;
}

/**
 * A row's text, worked out once per call item: a fast scroll mounts rows that were shown a moment
 * ago, and number and date formatting are the costliest part of a row. Items are replaced (not
 * changed) when the cache changes, so a WeakMap keyed by the item is never stale; only a new zone
 * (the practice's directory arriving) writes it again.
 */
const texts = new WeakMap<CallListItemView, RowText>();
export function rowText(item: CallListItemView, timeZone?: string): RowText {
  let text = texts.get(item);
  if (!text || text.timeZone !== timeZone) {
    const who = counterpart(item);
    const outcome = callOutcome(item);
    text = {
      when: formatDateTime(item.call.startedAt, timeZone),
      timeZone,
      who,
      numberLine: item.contactName ? formatPhone(who.number) : null,
      outcome,
      source: callSourceLabel(item.call),
      taskOutcome: taskOutcomeLabel(item),
      length: outcome.talkSeconds !== null ? formatDuration(outcome.talkSeconds) : outcome.ringSeconds !== null ? `rang ${formatDuration(outcome.ringSeconds)}` : '',
    };
    texts.set(item, text);
  }
  return text;
}

/**
 * One call in the History list, at a fixed height and offset (no measuring while scrolling): its
 * place in the list for assistive technology (aria-posinset of aria-setsize) and, when it is the
 * list's active row, its one tab stop (Enter on the row opens the call).
 * Memoised on its props: a scroll frame renders only the rows that came into view.
 */
export const HistoryRow = memo(function HistoryRow({
  item,
  index,
  setSize,
  top,
  active,
  timeZone,
  onOpen,
  onCallBack,
}: {
  item: CallListItemView;
  /** Its place in the list, from 0. */
  index: number;
  /** Every call that matches, or -1 while that is not known. */
  setSize: number;
  top: number;
  active: boolean;
  /** The zone its time is written in (callTimeZone). */
  timeZone?: string;
  onOpen: (item: CallListItemView) => void;
  onCallBack: (number: string) => void;
}) {
  const { when, who, numberLine, outcome, source, taskOutcome, length } = rowText(item, timeZone);
  const missed = outcome.kind === 'missed' || outcome.kind === 'unanswered' || outcome.kind === 'voicemail';
  const tabIndex = active ? 0 : -1;
  const disposition = item.disposition ? (
    <span className={`disposition badge${item.disposition.deleted ? ' deleted' : ''}`} title={item.disposition.label}>
      {item.disposition.label}
    </span>
  ) : taskOutcome ? (
    <span className="disposition badge task-outcome" title="Outcome of a follow-up task">
      {taskOutcome}
    </span>
  ) : (
    <span className="disposition muted">—</span>
  );
  // As few elements as the content and its roles need (a fast flick mounts ~7 rows a frame): the
  // direction arrow is CSS with alt text, the name is the button's own text, the badge is its cell.
  return (
    <div
      role="listitem"
      className={`history-row${missed ? ' missed' : ''}`}
      data-index={index}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      tabIndex={tabIndex}
      // `top`, not a transform: no paint property node per row for the compositor to sort out each frame.
      style={{ top }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && event.target === event.currentTarget) onOpen(item);
      }}
    >
      <span className={`when ${item.call.direction === 'inbound' ? 'in' : 'out'}`}>{when}</span>
      <span className="who">
        <button type="button" className="link row-open" tabIndex={tabIndex} onClick={() => onOpen(item)} aria-label={`Details of the call with ${who.name}, ${when}`}>
          {who.name}
        </button>
        {source ? <small className="badge call-source" title={item.call.source === 'external' ? 'Logged from an outside dialer' : 'Placed by a workflow'}>{source}</small> : null}
        {outcome.kind !== 'answered' ? <small className={`outcome outcome-${outcome.kind}`}>{outcome.label}</small> : numberLine !== null ? <small>{numberLine}</small> : null}
      </span>
      <span className="user">{item.userName ?? '—'}</span>
      {item.pendingSync ? (
        <span className="disposition-cell">
          {disposition}
          <span className="pending" title="Waiting to sync">
            ⟳
          </span>
        </span>
      ) : (
        disposition
      )}
      <span className="length" title={outcome.talkSeconds === null && outcome.ringSeconds !== null ? 'Ring time: nobody talked' : undefined}>
        {length}
      </span>
      <button type="button" className="icon-button call-back" tabIndex={tabIndex} aria-label={`Call ${who.name}`} onClick={() => onCallBack(who.number)}>
        <PhoneIcon />
      </button>
    </div>
  );
});
