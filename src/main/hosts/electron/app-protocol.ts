import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { protocol, type Session } from 'electron';
import { APP_SCHEME } from './window-policies';
import { contentTypeOf, resolveInside } from '../renderer-files';

/**
 * Must run before `app.ready`: app:// behaves like https (secure context, fetch, a real origin).
 * `codeCache` (standard schemes only): V8 keeps the renderer's compiled scripts between starts, as
 * it does for https (issue #21). Caveat, measured in Debian's Chromium 156: it writes that cache for
 * a module script (Vite's `<script type="module">` chunk) but never reads it back, while a classic
 * script's is read from its third load; whether Electron's Chromium does the same is unchecked here.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

/** Serves the built renderer on app://softphone/ with the run's CSP on every response. */
export function serveRenderer(session: Session, rendererDir: string, csp: () => string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers = { 'Content-Security-Policy': csp(), 'X-Content-Type-Options': 'nosniff' };
    if (url.host !== 'softphone') return new Response('Not found', { status: 404, headers });
    let file = resolveInside(rendererDir, url.pathname);
    if (!file) return new Response('Bad path', { status: 400, headers });
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) file = join(rendererDir, 'index.html');
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': contentTypeOf(file) } });
  });
}
