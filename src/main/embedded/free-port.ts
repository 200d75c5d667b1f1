import { createServer, type Server } from 'node:net';

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Distinct free loopback ports, so services' URLs are known before they start (another program may
 * still take one first: the service's listen then fails with EADDRINUSE, a start failure the
 * receptionist is told about). All are held open together until each is known, so none repeats.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnAnyPort());
    return servers.map((server) => {
      const address = server.address();
      if (typeof address !== 'object' || !address) throw new Error('no port');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** A free loopback port, so a service's URL is known before it starts. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}
