import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { contentTypeOf, resolveInside } from '../renderer-files';

interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
}

/**
 * Serves the built renderer: GET/HEAD only, no directory listings, no escaping the root, and
 * unknown paths fall back to index.html (the renderer routes itself).
 *
 * Each answer is written whole in the event-loop turn its request arrives in, from memory (a file is
 * read once, and again only when a rebuild replaced it). While the host starts, its thread runs the
 * embedded stack's start in long stretches; an answer that took several turns (an async stat, then
 * a read stream in 64 KB pieces) waited for a stretch at each, and the page's 1.1 MB script arrived
 * about 300 ms after the page asked for it, on the way to "Ready for calls" (issue #21). The
 * renderer's files are a few MB at most, and only those asked for are kept.
 */
export class StaticFiles {
  private readonly files = new Map<string, CachedFile>();

  constructor(private readonly root: string) {}

  serve(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...headers }).end();
      return;
    }
    let path = resolveInside(this.root, req.url ?? '/');
    if (!path) {
      res.writeHead(400, headers).end('Bad path');
      return;
    }
    let file = this.read(path);
    if (!file) {
      if (extname(path) !== '') {
        res.writeHead(404, headers).end('Not found');
        return;
      }
      path = join(this.root, 'index.html');
      file = this.read(path);
      if (!file) {
        res.writeHead(503, headers).end('The renderer is not built yet: run `npm run build`.');
        return;
      }
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeOf(path),
      'Content-Length': String(file.size),
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  /** The file at `path` as it is on disk now (undefined: not a file), from memory while it is unchanged. */
  private read(path: string): CachedFile | undefined {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info?.isFile()) {
      this.files.delete(path);
      return undefined;
    }
    const kept = this.files.get(path);
    if (kept && kept.mtimeMs === info.mtimeMs && kept.size === info.size) return kept;
    const body = readFileSync(path);
    // Stamped with what was read: a file replaced between the stat and the read is read again next time.
    const file = { mtimeMs: info.mtimeMs, size: body.length, body };
    this.files.set(path, file);
    return file;
  }
}
