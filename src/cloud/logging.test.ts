import { describe, expect, it } from 'vitest';
import { redactUrl, SecretPathParams } from './logging';

describe('redactUrl: what of a request URL may be logged', () => {
  const secrets = new SecretPathParams();
  secrets.declare('/hooks/workflows/:id/:secret', ['secret']);
  secrets.declare('/media/:token/:name', ['token']);
  secrets.declare('/l/:token', ['token']);
  secrets.declare('/o/:file', ['file']);

  it.each([
    ['/hooks/workflows/wf_1/gebW9xZyQCQiMnhC2W0YK', '/hooks/workflows/wf_1/[redacted]'],
    ['/media/apAJAqqQRCN5EM1tH/price-list.pdf', '/media/[redacted]/price-list.pdf'],
    ['/l/Zx81kQp2aa', '/l/[redacted]'],
    ['/o/Zx81kQp2aa.gif', '/o/[redacted]'],
    // The same secrets where Fastify finds no route (wrong method, a slash more, other case, encoded): still hidden.
    ['/hooks/workflows/wf_1/gebW9xZyQCQ/', '/hooks/workflows/wf_1/[redacted]/'],
    ['//hooks//workflows/wf_1/gebW9xZyQCQ', '//hooks//workflows/wf_1/[redacted]'],
    ['/Media/apAJAqqQRCN5/x.pdf', '/Media/[redacted]/x.pdf'],
    ['/%6Dedia/apAJAqqQRCN5/x.pdf', '/%6Dedia/[redacted]/x.pdf'],
    ['/media/apAJAqqQRCN5', '/media/[redacted]'],
    ['/l/Zx81kQp2aa/extra', '/l/[redacted]/extra'],
    // The query keeps only harmless values, as before.
    ['/media/apAJAqqQRCN5/x.pdf?download=1', '/media/[redacted]/x.pdf?download=[redacted]'],
    ['/v1/realtime?ticket=abc&limit=5', '/v1/realtime?ticket=[redacted]&limit=5'],
    // Other paths are left alone: ids behind sign-in are not secrets.
    ['/v1/media/med_1/content', '/v1/media/med_1/content'],
    ['/v1/workflows/wf_1/webhook-secret', '/v1/workflows/wf_1/webhook-secret'],
    ['/hooks/messaging/status?m=msg_1', '/hooks/messaging/status?m=[redacted]'],
    ['/hooks/workflows/wf_1', '/hooks/workflows/wf_1'],
    ['/mediax/apAJAqqQRCN5/x.pdf', '/mediax/apAJAqqQRCN5/x.pdf'],
    ['/', '/'],
  ])('%s → %s', (url, logged) => expect(redactUrl(url, secrets)).toBe(logged));
});
