/**
 * The few pictures the app draws, as inline SVG in the text's colour and size. Emoji (a muted
 * speaker, a tag, a bin) need an emoji font, which many Linux desktops lack: there they showed as an empty box.
 * Decorative: hidden from assistive tech, whose name comes from the control or the text beside.
 */
const base = { width: '1em', height: '1em', viewBox: '0 0 18 18', 'aria-hidden': true, focusable: false, className: 'icon-svg' } as const;

/** A speaker struck through: the microphone is muted. */
export function MutedIcon() {
  return (
    <svg {...base}>
      <path d="M2 6.5h3l4-3.5v12l-4-3.5H2z" fill="currentColor" />
      <path d="M11.5 6.5l5 5m0-5l-5 5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" fill="none" />
    </svg>
  );
}

/** A luggage tag: custom values (merge fields) to insert. */
export function TagIcon() {
  return (
    <svg {...base}>
      <path d="M2 3v5.6l7.7 7.7 6.6-6.6L8.6 2H3a1 1 0 0 0-1 1z" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" fill="none" />
      <circle cx="5.6" cy="5.6" r="1.3" fill="currentColor" />
    </svg>
  );
}

/** A waste bin: delete. */
export function TrashIcon() {
  return (
    <svg {...base}>
      <path d="M2.5 4.5h13M7 4.5V2.5h4v2M4.5 4.5l1 11h7l1-11M7.5 7.5v5.5m3-5.5v5.5" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" fill="none" />
    </svg>
  );
}

/** A telephone handset (the app icon's): a call, to make or ringing. */
export function PhoneIcon() {
  return (
    <svg {...base} viewBox="12 12 40 40">
      <path
        d="M24.6 15.5c1.3-.4 2.7.2 3.3 1.4l2.9 6.3c.5 1.1.2 2.4-.7 3.2l-3.1 2.6a26 26 0 0 0 9 9l2.6-3.1c.8-.9 2.1-1.2 3.2-.7l6.3 2.9c1.2.6 1.8 2 1.4 3.3l-1.3 4.3c-.4 1.4-1.7 2.3-3.2 2.3C28.8 49 14 34.2 14 16.1c0-1.5.9-2.8 2.3-3.2z"
        fill="currentColor"
      />
    </svg>
  );
}
