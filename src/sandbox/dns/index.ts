// The DNS stand-in, in-process: `const dns = await startDnsStandIn()`, then point a node:dns
// Resolver at `dns.server` ("127.0.0.1:<port>"). See ../README.md (DNS stand-in).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { buildAnswer, parseQuery, RCODE, TYPE_ANY, TYPE_TXT, type DnsQuery } from './dns-wire';

export interface DnsStandInOptions {
  /** 0 (default) picks a free port (the same number for UDP and TCP). */
  port?: number;
  /** Default 127.0.0.1: never beyond loopback unless told to. */
  host?: string;
  /** Keep the zone's records in this file, so a restarted stand-in still serves what was published. */
  stateFile?: string;
}

/** The records the stand-in serves, as a DNS provider's zone would: TXT only. */
export interface DnsZone {
  /** Publishes `values` as the TXT records of `name` (replacing any). */
  setTxt(name: string, values: readonly string[]): void;
  /** Adds one TXT value to `name` (a name may hold several, as the real DNS allows). */
  addTxt(name: string, value: string): void;
  remove(name: string): void;
  txt(name: string): readonly string[] | undefined;
  /** Every published name with its values. */
  records(): { name: string; values: string[] }[];
  /** Never answers lookups of `name` (the asker times out); off again with `false`. */
  silence(name: string, on?: boolean): void;
  /** Answers lookups of `name` with SERVFAIL; off again with `false`. */
  fail(name: string, on?: boolean): void;
}

export interface DnsStandIn {
  host: string;
  port: number;
  /** What a Resolver's setServers takes: `127.0.0.1:<port>`. */
  server: string;
  zone: DnsZone;
  /** Queries received, oldest first (name and type), for tests. */
  readonly queries: { name: string; type: number; transport: 'udp' | 'tcp' }[];
  stop(): Promise<void>;
}

const clean = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

class Zone implements DnsZone {
  private readonly names = new Map<string, string[]>();
  readonly silenced = new Set<string>();
  readonly failing = new Set<string>();
  constructor(private readonly save: (records: Record<string, string[]>) => void) {}

  load(records: Record<string, string[]>): void {
    for (const [name, values] of Object.entries(records)) this.names.set(clean(name), [...values]);
  }
  setTxt(name: string, values: readonly string[]): void {
    this.names.set(clean(name), [...values]);
    this.persist();
  }
  addTxt(name: string, value: string): void {
    const key = clean(name);
    const values = this.names.get(key) ?? [];
    if (!values.includes(value)) this.names.set(key, [...values, value]);
    this.persist();
  }
  remove(name: string): void {
    this.names.delete(clean(name));
    this.persist();
  }
  txt(name: string): readonly string[] | undefined {
    return this.names.get(clean(name));
  }
  records(): { name: string; values: string[] }[] {
    return [...this.names].map(([name, values]) => ({ name, values: [...values] }));
  }
  silence(name: string, on = true): void {
    if (on) this.silenced.add(clean(name));
    else this.silenced.delete(clean(name));
  }
  fail(name: string, on = true): void {
    if (on) this.failing.add(clean(name));
    else this.failing.delete(clean(name));
  }
  /** A name exists when it has records or a name below it does (an "empty non-terminal"): NODATA, not NXDOMAIN. */
  exists(name: string): boolean {
    if (this.names.has(name)) return true;
    for (const known of this.names.keys()) if (known.endsWith(`.${name}`)) return true;
    return false;
  }
  private persist(): void {
    this.save(Object.fromEntries(this.names));
  }
}

/** The answer to one query; null: say nothing (a silenced name, or not a query). */
function answer(zone: Zone, query: DnsQuery): { rcode: number; values: readonly string[] } | null {
  if (zone.silenced.has(query.name)) return null;
  if (zone.failing.has(query.name)) return { rcode: RCODE.servFail, values: [] };
  if (!zone.exists(query.name)) return { rcode: RCODE.nxDomain, values: [] };
  const txt = query.type === TYPE_TXT || query.type === TYPE_ANY ? (zone.txt(query.name) ?? []) : [];
  return { rcode: RCODE.noError, values: txt };
}

function readState(file: string | undefined): Record<string, string[]> {
  if (!file) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { records?: unknown };
    const records = parsed.records && typeof parsed.records === 'object' ? (parsed.records as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(records).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((v) => typeof v === 'string')));
  } catch {
    return {}; // none yet, or unreadable: an empty zone
  }
}

function bindUdp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function listenTcp(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts a DNS server on loopback that answers TXT lookups from its zone, over UDP and TCP (an
 * answer too large for the asker's UDP size is truncated, and the asker asks again over TCP).
 * Unknown names are NXDOMAIN; `silence` and `fail` make a name time out or SERVFAIL.
 */
export async function startDnsStandIn(options: DnsStandInOptions = {}): Promise<DnsStandIn> {
  const host = options.host ?? '127.0.0.1';
  const stateFile = options.stateFile;
  const zone = new Zone((records) => {
    if (!stateFile) return;
    writeFileSync(`${stateFile}.tmp`, JSON.stringify({ version: 1, records }, null, 1));
    renameSync(`${stateFile}.tmp`, stateFile);
  });
  zone.load(readState(stateFile));
  const queries: DnsStandIn['queries'] = [];

  // UDP and TCP on the same port number: a resolver asks again over TCP at the port it used.
  let udp: Socket | undefined;
  const tcp = createServer();
  for (let attempt = 0; ; attempt++) {
    udp = await bindUdp(host, options.port ?? 0);
    try {
      await listenTcp(tcp, host, udp.address().port);
      break;
    } catch (error) {
      udp.close();
      if (options.port || attempt >= 5) throw error;
    }
  }
  const udpSocket = udp;
  udpSocket.on('error', () => undefined);
  udpSocket.on('message', (message: Buffer, peer: RemoteInfo) => {
    const query = parseQuery(message);
    if (!query) return;
    queries.push({ name: query.name, type: query.type, transport: 'udp' });
    const result = answer(zone, query);
    if (!result) return;
    let reply = buildAnswer(query, result.rcode, result.values);
    if (reply.length > query.udpSize) reply = buildAnswer(query, result.rcode, [], true);
    udpSocket.send(reply, peer.port, peer.address);
  });

  const connections = new Set<TcpSocket>();
  tcp.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + message.length);
        const query = parseQuery(message);
        if (!query) return void socket.destroy();
        queries.push({ name: query.name, type: query.type, transport: 'tcp' });
        const result = answer(zone, query);
        if (!result) continue;
        const reply = buildAnswer(query, result.rcode, result.values);
        const length = Buffer.alloc(2);
        length.writeUInt16BE(reply.length);
        socket.write(Buffer.concat([length, reply]));
      }
    });
  });

  const port = udpSocket.address().port;
  return {
    host,
    port,
    server: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    zone,
    queries,
    async stop() {
      for (const socket of connections) socket.destroy();
      await Promise.all([new Promise<void>((resolve) => udpSocket.close(() => resolve())), new Promise<void>((resolve) => tcp.close(() => resolve()))]);
    },
  };
}
