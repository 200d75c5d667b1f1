import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';

/**
 * A screen whose code loads on first open, as its own chunk (same origin, so the strict CSP holds):
 * the receptionist's start then parses only the phone's code (issue #21, cold start).
 */
export function lazyScreen<K extends string, M extends Record<K, ComponentType>>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

/** Shown while a screen's chunk loads (a moment, from this machine): announced politely, never focus-stealing. */
function ScreenLoading() {
  return (
    <p className="muted" role="status">
      Loading…
    </p>
  );
}

/**
 * One boundary per screen (keyed by it). With a shared boundary, switching to a screen whose code is
 * still loading keeps the previous screen mounted but hidden under "Loading…", and switching back
 * before the load ends reveals that old instance instead of opening the screen again: its data is
 * not reloaded and it shows what it showed before (an admin saw an agent's stale card count).
 */
export function ScreenBoundary(props: { screen: string; children: ReactNode }) {
  return (
    <Suspense key={props.screen} fallback={<ScreenLoading />}>
      {props.children}
    </Suspense>
  );
}
