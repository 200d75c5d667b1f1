/** Makes a switch exhaustive at compile time, and loud at run time if a value slips through. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
