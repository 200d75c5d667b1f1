// One HTTPS port for everything: wss /signal (the edge), /2010-04-01 (REST), /sandbox (control).
import Fastify, { type FastifyInstance } from 'fastify';
import { parse as parseQuery } from 'node:querystring';
import type { SandboxCertificates } from '../tls/certificates';
import type { SignalingEdge } from '../signaling/edge';
import { WITHOUT_JSON_SCHEMAS } from '../../shared/http/without-json-schemas';

export function createHttpsServer(certs: SandboxCertificates, edge: SignalingEdge): FastifyInstance {
  // No HEAD twins: Twilio's clients (the REST library, the Voice SDK) only GET; the SDK's sounds keep theirs (sdk-sounds.ts).
  const app = Fastify({ https: { key: certs.keyPem, cert: certs.certPem }, logger: false, bodyLimit: 5 * 1024 * 1024, schemaController: WITHOUT_JSON_SCHEMAS, exposeHeadRoutes: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseQuery(typeof body === 'string' ? body : body.toString('utf8')));
  });
  app.server.on('upgrade', (req, socket, head: Buffer) => {
    if (!edge.handleUpgrade(req, socket, head)) socket.destroy();
  });
  return app;
}
