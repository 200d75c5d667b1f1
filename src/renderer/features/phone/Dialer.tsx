import { useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { ComboBox, Input, ListBox, ListBoxItem, Popover, type Key } from 'react-aria-components';
import type { Contact } from '../../../shared/cloud';
import type { DirectoryView } from '../../../shared/ipc/views';
import { formatAsYouType, formatPhone, parseDialTarget } from '../../lib/phone';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { useSession } from '../../state/session';
import { refreshPractice } from '../../state/state-actions';
import { canPlaceCalls, useVoiceStore } from '../../voice';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { placeCall, simulateCaller, suggestContacts } from './phone-actions';

const PAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const looksLikeNumber = (value: string) => /^[\d\s()+\-.]*$/.test(value);

/**
 * Prefills the dialer has shown. The store keeps the last one (its task id goes with the call), but
 * it is shown once: the dialer mounts again after every call and on every return to the Phone tab,
 * and showing it again would refill an old number and take the focus from wherever the
 * receptionist has gone since (the Tasks tab, a note).
 */
const shownPrefills = new WeakSet<object>();

/** The practice's numbers a call may go out from. */
const liveNumbers = (directory: DirectoryView | null) => (directory?.phoneNumbers ?? []).filter((n) => !n.deletedAt);

/** The number a call goes out from unless the receptionist picks another: their own line, else the practice's first. */
function defaultCallerId(directory: DirectoryView | null): string | undefined {
  const numbers = liveNumbers(directory);
  return (numbers.find((n) => n.id === directory?.me?.inboundNumberId) ?? numbers[0])?.number;
}

/**
 * The dialer: type, paste or tap a number (formatted and checked as you go), or type a name to
 * pick a contact; choose the caller ID; Enter calls. Offline, a call is refused — never queued.
 */
export function Dialer() {
  const prefill = useNavigation((s) => s.dialerPrefill);
  const directory = usePractice((s) => s.directory);
  const device = useVoiceStore((s) => s.device);
  const [input, setInput] = useState('');
  const [callerId, setCallerId] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [suggestions, setSuggestions] = useState<Contact[]>([]);
  /** The typed name the suggestions are for (they arrive a moment after the keystroke). */
  const [searchedFor, setSearchedFor] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const numbers = useMemo(() => liveNumbers(directory), [directory]);
  useEffect(() => {
    if (callerId) return;
    const number = defaultCallerId(directory);
    if (number) setCallerId(number);
  }, [directory, callerId]);

  useEffect(() => {
    if (!prefill || shownPrefills.has(prefill)) return;
    shownPrefills.add(prefill);
    setInput(formatPhone(prefill.number));
    // A Manual Call task dials from the number its workflow step chose (when this user may use it).
    const from = prefill.fromNumberId ? numbers.find((n) => n.id === prefill.fromNumberId) : undefined;
    if (from) setCallerId(from.number);
    setError(null);
    inputRef.current?.focus();
    // Only a new prefill applies: the numbers list refreshing must not undo the receptionist's own choice.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [prefill]);

  // A name (not digits) searches contacts.
  useEffect(() => {
    if (looksLikeNumber(input) || input.trim().length < 2) {
      setSuggestions([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void suggestContacts(input).then((found) => {
        if (!live || !found) return;
        setSuggestions(found);
        setSearchedFor(input);
      });
    }, 100);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [input]);

  const isName = !looksLikeNumber(input) && input.trim().length >= 2;
  /** The list still shows the matches of an earlier keystroke while the search for this one runs. */
  const refreshing = isName && searchedFor !== input;
  const onlineForCalls = canPlaceCalls(device) && (typeof navigator === 'undefined' || navigator.onLine);

  const dial = async (raw = input) => {
    setError(null);
    // A name dials the contact it matches: the top suggestion when the list is for what is typed now,
    // else the top of a search for it (a fast typist's Enter must not call the match of a shorter name).
    if (!looksLikeNumber(raw)) {
      const match = (searchedFor === raw ? suggestions[0] : undefined) ?? (await suggestContacts(raw))?.[0];
      if (!match?.phone) return setError(`No contact with a phone number matches “${raw.trim()}”.`);
      raw = match.phone;
      setInput(formatPhone(match.phone));
    }
    const target = parseDialTarget(raw);
    if (!target.ok) return setError(target.reason);
    if (!onlineForCalls) return setError('You are offline, so the call was not placed. It will not be dialled later: call again when the phone is connected.');
    let from = callerId;
    if (!from && !usePractice.getState().directory) {
      // A call placed the moment the phone is ready may come before the practice's numbers have
      // arrived from main (the phone starts first): wait for them rather than refuse it.
      await refreshPractice();
      from = defaultCallerId(usePractice.getState().directory) ?? '';
    }
    if (!from) return setError('Choose the number to call from.');
    try {
      // Dialing the number a Manual Call task opened the dialer on: the call carries the task (linked as it starts).
      await placeCall(target.e164, from, prefill?.taskId && prefill.number === target.e164 ? prefill.taskId : undefined);
      setInput('');
      setSuggestions([]);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const pick = (key: Key | null) => {
    const contact = suggestions.find((c) => c.id === key);
    if (contact?.phone) void dial(contact.phone);
  };

  // Enter on a typed name with no suggestion highlighted calls the top match (the list is open, so the
  // combobox would otherwise only close it).
  const onEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || looksLikeNumber(input) || event.currentTarget.getAttribute('aria-activedescendant')) return;
    event.preventDefault();
    event.stopPropagation();
    void dial();
  };

  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const pasted = event.clipboardData.getData('text');
    const target = parseDialTarget(pasted);
    if (target.ok) {
      event.preventDefault();
      setInput(target.display);
    }
  };

  return (
    <section className="dialer" aria-label="Dialer">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void dial();
        }}
      >
        <ComboBox
          aria-label="Number or name to call"
          allowsCustomValue
          menuTrigger="input"
          inputValue={input}
          items={suggestions}
          // A typed name opens the list at once (the matches arrive a moment later and fill it); a
          // number never opens an empty one.
          allowsEmptyCollection={isName}
          selectedKey={null}
          onSelectionChange={pick}
          onInputChange={(value) => {
            setError(null);
            setInput(looksLikeNumber(value) && !value.endsWith(' ') ? formatAsYouType(value) : value);
          }}
        >
          <Input ref={inputRef} className="dial-input" placeholder="Number or name" autoComplete="off" onPaste={onPaste} onKeyDownCapture={onEnter} />
          <Popover className="suggestions-popover" placement="bottom start">
            <ListBox
              className="suggestions"
              aria-label="Matching contacts"
              data-refreshing={refreshing || undefined}
              renderEmptyState={() => <p className="suggestion-empty">{searchedFor === input ? 'No contact by that name' : 'Searching…'}</p>}
            >
              {(c: Contact) => (
                <ListBoxItem id={c.id} textValue={c.name} className="suggestion">
                  {c.name} <small>{formatPhone(c.phone)}</small>
                </ListBoxItem>
              )}
            </ListBox>
          </Popover>
        </ComboBox>
        <div className="pad" role="group" aria-label="Dial pad">
          {PAD.map((key) => (
            <button key={key} type="button" onClick={() => setInput((v) => formatAsYouType(v.replace(/[^\d+*#]/g, '') + key))}>
              {key}
            </button>
          ))}
        </div>
        <label className="caller-id">
          Call from
          <select value={callerId} onChange={(e) => setCallerId(e.target.value)} aria-label="Caller ID">
            {numbers.map((n) => (
              <option key={n.id} value={n.number}>
                {n.name} · {formatPhone(n.number)}
              </option>
            ))}
          </select>
        </label>
        <ErrorAlert message={error} />
        <button type="submit" className="call" disabled={input.trim() === ''}>
          Call
        </button>
        {!onlineForCalls ? <p className="hint">The phone is not connected: calls cannot be placed right now.</p> : null}
      </form>
      <SimulateCaller />
    </section>
  );
}

/** Embedded demo only: a scripted caller rings one of the practice's numbers. */
function SimulateCaller() {
  const embedded = useSession((s) => s.appInfo?.cloud.mode === 'embedded');
  if (!embedded) return null;
  return (
    <button
      type="button"
      className="link"
      data-testid="simulate-caller"
      onClick={() => void simulateCaller()}
    >
      Simulate a caller (demo practice)
    </button>
  );
}
