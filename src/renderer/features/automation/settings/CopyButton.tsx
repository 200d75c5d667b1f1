/**
 * Copies a value a settings page shows (a DNS record, a webhook URL, a secret) and says so through
 * `onCopied` (the page's status line); where the clipboard is refused, says how to copy it by hand.
 */
export function CopyButton(props: { text: string; what: string; onCopied: (message: string) => void }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      props.onCopied(`Copied the ${props.what}.`);
    } catch {
      props.onCopied(`Could not copy the ${props.what}: select it and copy it by hand.`);
    }
  };
  return (
    <button type="button" aria-label={`Copy the ${props.what}`} onClick={() => void copy()}>
      Copy
    </button>
  );
}
