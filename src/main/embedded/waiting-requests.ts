/** Turns of the event loop a request waiting on a new connection needs: accepted in one, read in the next, answered there. */
const TURNS = 3;

/**
 * Lets the requests that arrived while this thread was busy be answered before it is busy again:
 * the page asking for its files while the host starts (issue #21). The host's modules load as
 * CommonJS, in one synchronous stretch, and a connection made meanwhile needs more than one turn of
 * the event loop; with nothing waiting, the turns cost next to nothing.
 */
export async function answerWaitingRequests(): Promise<void> {
  for (let turn = 0; turn < TURNS; turn++) await new Promise((resolve) => setImmediate(resolve));
}
