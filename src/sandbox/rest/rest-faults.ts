/**
 * REST requests the sandbox leaves unanswered on purpose: the connection is dropped with no
 * response, as when Twilio's API goes silent mid-request (the official client sees "socket hang
 * up"). It is how tests and E2E specs reach what a client does when it cannot know whether a
 * request took effect (a number purchase that got no answer). A dropped request never runs.
 */
interface DropRule {
  /** GET, POST, DELETE…; null: any. */
  method: string | null;
  /** Part of the request's path and query, e.g. `/IncomingPhoneNumbers.json?`. */
  pathIncludes: string;
  left: number;
}

export class RestFaults {
  private rules: DropRule[] = [];

  /** The next `times` requests matching are dropped unanswered. */
  drop(pathIncludes: string, times: number, method?: string): void {
    this.rules.push({ method: method?.toUpperCase() ?? null, pathIncludes, left: times });
  }

  clear(): void {
    this.rules = [];
  }

  /** Whether this request is one to drop (counted against its rule). */
  take(method: string, url: string): boolean {
    const rule = this.rules.find((r) => r.left > 0 && (r.method === null || r.method === method.toUpperCase()) && url.includes(r.pathIncludes));
    if (!rule) return false;
    rule.left -= 1;
    this.rules = this.rules.filter((r) => r.left > 0);
    return true;
  }
}
