import type { Principal } from '../context';
import { ApiError } from '../errors';

/** Role checks live in the services (and the route table says who may call a route). */
export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new ApiError('FORBIDDEN', 'Only account admins can do this');
}
