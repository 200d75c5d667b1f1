/** Turns a key press into an Electron accelerator ("CommandOrControl+Shift+A"), or null for a lone modifier. */
export function acceleratorFromEvent(event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): string | null {
  if (['Control', 'Meta', 'Alt', 'Shift', 'AltGraph'].includes(event.key)) return null;
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('CommandOrControl');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey) parts.push('Shift');
  let key: string;
  if (/^Key[A-Z]$/.test(event.code)) key = event.code.slice(3);
  else if (/^Digit\d$/.test(event.code)) key = event.code.slice(5);
  else if (/^F\d{1,2}$/.test(event.key)) key = event.key;
  else if (event.key === ' ') key = 'Space';
  else if (event.key.startsWith('Arrow')) key = event.key.slice(5);
  else if (['Enter', 'Escape', 'Tab', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown'].includes(event.key)) key = event.key;
  else return null;
  // A global shortcut without a modifier would swallow that key in every other program (F-keys excepted).
  if (parts.length === 0 && !/^F\d/.test(key)) return null;
  return [...parts, key].join('+');
}

/** "CommandOrControl+Shift+A" → "Ctrl+Shift+A" (or "⌘⇧A" on a Mac) for display. */
export function displayAccelerator(accelerator: string | null, mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform)): string {
  if (!accelerator) return 'Off';
  if (!mac) return accelerator.replace('CommandOrControl', 'Ctrl');
  return accelerator.replace('CommandOrControl+', '⌘').replace('Alt+', '⌥').replace('Shift+', '⇧');
}
