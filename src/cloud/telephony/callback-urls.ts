import type { CloudContext } from '../context';

/**
 * Absolute callback URLs for TwiML (status, recording, whisper…), under the public URL Twilio
 * posts to. Built once per path for the current public URL (fixed once the server listens).
 */
export class CallbackUrls {
  private urls = new Map<string, string>();
  private urlsFor = '';

  constructor(private readonly publicUrl: CloudContext['publicUrl']) {}

  url(path: string, query?: Record<string, string>): string {
    const base = this.publicUrl();
    if (base !== this.urlsFor) {
      this.urls = new Map();
      this.urlsFor = base;
    }
    let url = this.urls.get(path);
    if (url === undefined) this.urls.set(path, (url = new URL(path, base).toString()));
    // What URL.searchParams.set would append to a URL without a query (same encoding).
    return query ? `${url}?${new URLSearchParams(query).toString()}` : url;
  }
}
