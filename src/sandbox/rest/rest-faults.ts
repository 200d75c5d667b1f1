/**
 * REST requests the sandbox leaves unanswered on purpose: the connection is dropped with no
 * response, as when Twilio's API goes silent mid-request (the official client sees "socket hang
 * up"). It is how tests and E2E specs reach what a client does when it cannot know whether a
 * request took effect (a number purchase that got no answer). A dropped request never runs —
 * unless its rule says `carryOutLater`: then it is kept and runs when `carryOut` is called, as
 * Twilio finishes a purchase whose answer was lost (it lands after the client gave up on it).
 */
interface DropRule {
  /** GET, POST, DELETE…; null: any. */
  method: string | null;
  /** Part of the request's path and query, e.g. `/IncomingPhoneNumbers.json?`. */
  pathIncludes: string;
  left: number;
  carryOutLater: boolean;
}

/** A dropped request kept to run later: what it takes to send it again inside the server. */
export interface HeldRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The form body as it came (urlencoded), '' for none. */
  payload: string;
}

export class RestFaults {
  private rules: DropRule[] = [];
  private held: HeldRequest[] = [];

  /** The next `times` requests matching are dropped unanswered (and, with `carryOutLater`, kept to run later). */
  drop(pathIncludes: string, times: number, method?: string, options: { carryOutLater?: boolean } = {}): void {
    this.rules.push({ method: method?.toUpperCase() ?? null, pathIncludes, left: times, carryOutLater: options.carryOutLater ?? false });
  }

  /** Forgets every rule and every held request (held requests then never run). */
  clear(): void {
    this.rules = [];
    this.held = [];
  }

  /** Whether this request is one to drop (counted against its rule): null, or whether it is carried out later. */
  take(method: string, url: string): { carryOutLater: boolean } | null {
    const rule = this.rules.find((r) => r.left > 0 && (r.method === null || r.method === method.toUpperCase()) && url.includes(r.pathIncludes));
    if (!rule) return null;
    rule.left -= 1;
    this.rules = this.rules.filter((r) => r.left > 0);
    return { carryOutLater: rule.carryOutLater };
  }

  hold(request: HeldRequest): void {
    this.held.push(request);
  }

  /** The held requests, oldest first, handed over to run (and no longer held). */
  takeHeld(): HeldRequest[] {
    const held = this.held;
    this.held = [];
    return held;
  }
}
