/**
 * tel: and callto: links (RFC 3966 and the Skype-era callto:) from the OS, a browser or a second
 * launch: returns the number to prefill in the dialer, or undefined when the link carries none.
 * Validation against libphonenumber happens in the dialer, which shows the receptionist why.
 */
const PREFIXES = ['tel:', 'callto:'];

export function numberFromTelLink(link: string): string | undefined {
  const trimmed = link.trim();
  const prefix = PREFIXES.find((p) => trimmed.toLowerCase().startsWith(p));
  if (!prefix) return undefined;
  let rest = trimmed.slice(prefix.length).replace(/^\/\//, '');
  try {
    rest = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  // Drop RFC 3966 parameters (;ext=, ;phone-context=) and any query.
  const number = rest.split(/[;?]/)[0]!.replace(/[\s().\-/]/g, '');
  return /^\+?\d{3,20}$/.test(number) ? number : undefined;
}

/** The first tel:/callto: link among command-line arguments (Windows/Linux hand links over as argv). */
export function telLinkFromArgv(argv: readonly string[]): string | undefined {
  return argv.find((arg) => PREFIXES.some((p) => arg.toLowerCase().startsWith(p)));
}
