import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream';
import { contentTypeOf, resolveInside } from '../renderer-files';

/**
 * Serves the built renderer: GET/HEAD only, no directory listings, no escaping the root, and
 * unknown paths fall back to index.html (the renderer routes itself).
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', ...headers }).end();
    return;
  }
  let file = resolveInside(root, req.url ?? '/');
  if (!file) {
    res.writeHead(400, headers).end('Bad path');
    return;
  }
  let info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    if (extname(file) !== '') {
      res.writeHead(404, headers).end('Not found');
      return;
    }
    file = join(root, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(503, headers).end('The renderer is not built yet: run `npm run build`.');
      return;
    }
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeOf(file),
    'Content-Length': String(info.size),
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // pipeline, not pipe: a read error (the file replaced by a rebuild) ends this response, not the host.
  pipeline(createReadStream(file), res, () => undefined);
}
