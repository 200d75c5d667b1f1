// The inventory hooks over HTTP: POST /sandbox/inventory/claims {phoneNumber} (another customer
// buys it now), DELETE /sandbox/inventory/claims/:phoneNumber (they release it),
// POST /sandbox/inventory/races {phoneNumber} (they win the next purchase of it),
// POST /sandbox/inventory/numbers {phoneNumber, capabilities?} (put a specific number on sale),
// GET /sandbox/inventory/:phoneNumber (is it for sale, held by others, owned by the account).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { InventoryControl } from './inventory-control';

const body = z.object({ phoneNumber: z.string() });

export function registerInventoryRoutes(app: FastifyInstance, inventory: InventoryControl, guard: (req: FastifyRequest, reply: FastifyReply) => boolean): void {
  const run = <T>(reply: FastifyReply, action: () => T): T | FastifyReply => {
    try {
      return action();
    } catch (error) {
      return reply.code(400).send({ error: error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error) });
    }
  };
  const param = (req: FastifyRequest): string => decodeURIComponent((req.params as { phoneNumber: string }).phoneNumber);
  app.post('/sandbox/inventory/claims', async (req, reply) => guard(req, reply) && run(reply, () => inventory.claimNumber(body.parse(req.body).phoneNumber)));
  app.delete('/sandbox/inventory/claims/:phoneNumber', async (req, reply) => guard(req, reply) && run(reply, () => inventory.releaseClaim(param(req))));
  app.post('/sandbox/inventory/races', async (req, reply) => guard(req, reply) && run(reply, () => (inventory.loseNextPurchaseOf(body.parse(req.body).phoneNumber), { ok: true })));
  app.post('/sandbox/inventory/numbers', async (req, reply) => guard(req, reply) && run(reply, () => inventory.addForSale(req.body as never)));
  app.get('/sandbox/inventory/:phoneNumber', async (req, reply) => guard(req, reply) && run(reply, () => inventory.availability(param(req))));
}
