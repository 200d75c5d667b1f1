/**
 * How often a bench looks into a page while it waits for the page's own stamps (ms). Never
 * Playwright's default for waitForFunction and locators, which re-checks in every animation frame:
 * that keeps the page drawing a frame every 16.7 ms, so a change waits for the next display tick
 * instead of being drawn at once, as in a page that was idle — as a front desk's phone is between
 * calls. Until session 34 the ring benches waited that way from the moment they placed each call:
 * ringing panel in the DOM → its frame's start p50 4.2–8.8 ms for the softphone over 8 runs,
 * 1.1–1.8 ms over 11 with this timer (issue #21).
 */
export const POLL_MS = 50;
