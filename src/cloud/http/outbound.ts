import { lookup as systemLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Requests to URLs a practice typed in (an AI agent's Custom Action webhook). A practice's admin
 * is a tenant, not the operator: a URL aimed at this server's own host, its private network or a
 * cloud metadata endpoint (169.254.169.254) must not be reachable through it. So the check is on
 * where the name RESOLVES, not how it is spelled (0.0.0.0, [::], [::ffff:127.0.0.1], 2130706433,
 * a DNS name pointing inside…), and it is the socket's own DNS lookup that is checked: the
 * connection goes to exactly the addresses that passed, so a name answering public to one lookup
 * and private to the next (DNS rebinding) gains nothing. Redirects are never followed.
 *
 * Every server-side request to a practice-configured URL goes through `OutboundHttp`
 * (`CloudContext.outbound`). Operator-configured endpoints (Twilio, Slack, SMTP, the AI brain)
 * do not: the operator chose them.
 */

/** Where an address leads: the public internet, this machine, or anything else that is not public. */
export type AddressScope = 'public' | 'loopback' | 'private';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** IANA's special-purpose blocks that are not the public internet. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network": 0.0.0.0 connects to the host itself
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, where cloud metadata endpoints live
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: an IPv4 address inside, deprecated
  ['3fff::', 20], // documentation
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}
/** IPv6's global unicast space: everything outside it (::, ::1, fc00::/7 ULA, fe80::/10, multicast…) is not public. */
const IPV6_GLOBAL_UNICAST = new BlockList();
IPV6_GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

/** The eight 16-bit words of an IPv6 address (a trailing dotted quad becomes the last two). */
function ipv6Words(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const words = (part: string) => (part ? part.split(':') : []);
  const spelled = tail === undefined ? words(head) : [...words(head), ...Array<string>(8 - words(head).length - words(tail).length).fill('0'), ...words(tail)];
  return spelled.map((word) => parseInt(word, 16));
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedIPv4(address: string): string | null {
  const w = ipv6Words(address);
  const prefix = w.slice(0, 6).join(':');
  if (prefix !== '0:0:0:0:0:65535' && prefix !== '100:65435:0:0:0:0') return null;
  const [hi, lo] = [w[6]!, w[7]!];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Where an IP address leads. Anything that is not an IP address is not public. */
export function addressScope(address: string): AddressScope {
  const family = isIP(address);
  if (family === 4) {
    if (LOOPBACK.check(address, 'ipv4')) return 'loopback';
    return NOT_PUBLIC.check(address, 'ipv4') ? 'private' : 'public';
  }
  if (family === 6) {
    const inner = embeddedIPv4(address);
    if (inner) return addressScope(inner);
    const bare = address.replace(/%.*$/, '');
    if (LOOPBACK.check(bare, 'ipv6')) return 'loopback';
    return IPV6_GLOBAL_UNICAST.check(bare, 'ipv6') && !NOT_PUBLIC.check(bare, 'ipv6') ? 'public' : 'private';
  }
  return 'private';
}

/**
 * Why a URL is refused: it leads somewhere that is not the public internet (loopback counts,
 * except where allowed), or it is plain HTTP to anything but an allowed loopback address, or it
 * is not a web address at all.
 */
export type OutboundRefusal = 'private_address' | 'not_https';

export class OutboundRefusedError extends Error {
  constructor(readonly refusal: OutboundRefusal) {
    super(refusal === 'private_address' ? 'the address is not on the public internet' : 'the URL is not HTTPS');
    this.name = 'OutboundRefusedError';
  }
}

/** The decision for a URL's scheme and the addresses its host resolved to (all of them must pass). */
export function refusalFor(protocol: string, addresses: readonly string[], allowLoopback: boolean): OutboundRefusal | null {
  if (protocol !== 'https:' && protocol !== 'http:') return 'not_https';
  const scopes = addresses.map(addressScope);
  if (scopes.length === 0) return 'private_address';
  if (scopes.some((scope) => scope === 'private' || (scope === 'loopback' && !allowLoopback))) return 'private_address';
  // Plain HTTP only where nothing leaves the machine (sandbox mode's loopback test doubles).
  if (protocol === 'http:' && scopes.some((scope) => scope !== 'loopback')) return 'not_https';
  return null;
}

/** A host name → every address it has, as a socket would resolve it. Tests inject their own. */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

const resolveWithSystem: ResolveHost = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

export interface OutboundOptions {
  /** Sandbox mode only (development and tests, where the whole deployment is this machine): loopback is allowed. */
  allowLoopback: boolean;
  /** Default: the system resolver (`dns.lookup`, as a socket uses it). */
  resolve?: ResolveHost;
}

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange: resolving, connecting, sending and reading the answer. */
  signal: AbortSignal;
  /** The answer is read up to this many bytes (more is a failure). */
  maxResponseBytes: number;
}

export interface OutboundResponse {
  status: number;
  ok: boolean;
  text: string;
}

/** How long a save waits for DNS before it lets the URL through (it is checked again at each request). */
const SAVE_RESOLVE_TIMEOUT_MS = 3000;

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

export class OutboundHttp {
  private readonly resolve: ResolveHost;

  constructor(private readonly options: OutboundOptions) {
    this.resolve = options.resolve ?? resolveWithSystem;
  }

  /**
   * Whether a URL may be saved: a refusal, or null. A name that does not resolve (yet, or not from
   * here) passes: the admin may be setting up the server, and every request checks again.
   */
  async check(raw: string): Promise<OutboundRefusal | null> {
    const url = new URL(raw);
    const host = hostOf(url);
    if (isIP(host)) return refusalFor(url.protocol, [host], this.options.allowLoopback);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), SAVE_RESOLVE_TIMEOUT_MS)));
    try {
      const answers = await Promise.race([this.resolve(host), gaveUp]);
      return answers ? refusalFor(url.protocol, answers.map((a) => a.address), this.options.allowLoopback) : null;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One request, never redirected (a 3xx is just the answer), to checked addresses only. Throws
   * `OutboundRefusedError` for a refused destination, the signal's reason when it fires, or the
   * network's error.
   */
  async request(raw: string, init: OutboundRequest): Promise<OutboundResponse> {
    const url = new URL(raw);
    const host = hostOf(url);
    // A literal address is connected to without a lookup, so it is checked here.
    if (isIP(host)) {
      const refusal = refusalFor(url.protocol, [host], this.options.allowLoopback);
      if (refusal) throw new OutboundRefusedError(refusal);
    } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new OutboundRefusedError('not_https');
    }
    init.signal.throwIfAborted();
    const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
    return new Promise<OutboundResponse>((resolve, reject) => {
      const onAbort = () => {
        request.destroy();
        reject(init.signal.reason);
      };
      const settle = <T>(fn: (value: T) => void) => (value: T) => {
        init.signal.removeEventListener('abort', onAbort);
        fn(value);
      };
      const fail = settle(reject);
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        {
          protocol: url.protocol,
          hostname: host,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: init.method,
          headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
          lookup: this.checkedLookup(url.protocol),
          // A connection of its own: nothing pooled from an earlier request is reused.
          agent: false,
        },
        (response) => readBody(response, init.maxResponseBytes).then(settle(resolve), fail),
      );
      init.signal.addEventListener('abort', onAbort, { once: true });
      request.on('error', fail);
      request.end(body);
    });
  }

  /** The socket's DNS lookup: every address the name has must pass, and only those are connected to. */
  private checkedLookup(protocol: string) {
    return (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
      this.resolve(hostname).then(
        (answers) => {
          const refusal = refusalFor(protocol, answers.map((a) => a.address), this.options.allowLoopback);
          if (refusal) return callback(new OutboundRefusedError(refusal), '');
          if (options.all) return callback(null, [...answers]);
          return callback(null, answers[0]!.address, answers[0]!.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, ''),
      );
    };
  }
}

function readBody(response: IncomingMessage, maxBytes: number): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        reject(new Error(`the answer is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('end', () => {
      const status = response.statusCode ?? 0;
      resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
