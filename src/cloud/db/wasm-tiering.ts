import { setFlagsFromString } from 'node:v8';

/**
 * V8 compiles PGlite's WASM with its baseline compiler first and recompiles each function that has
 * run "enough" with its optimising one, on background threads. At the default budget, starting the
 * database and the cloud's first queries set off about a second of that optimising on two cores
 * (issue #21: the browser host's start went from 2.9 to 2.1 s of CPU without it, measured by
 * thread), competing with the start itself. This budget (≈550 × V8's default) leaves a start on the
 * baseline code; work that keeps running hot, such as a sustained webhook load, is still optimised
 * (the PGlite load bench answers the same 1,600 webhooks/s with it). Read when a module compiles, so
 * set before the worker loads PGlite; it is process-wide, and nothing else here is WASM-heavy.
 * Setting it again does nothing more. The browser host sets it before it loads its own files: V8's
 * code cache of a file is only taken under the flags it was made with (main/hosts/code-cache.ts).
 */
const WASM_TIERING_BUDGET = 1_000_000_000;

export function deferWasmTierUp(): void {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}
