import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../shared/http';
import { requireShopper } from '../../shared/context';
import { ctxOf } from '../../shared/http';
import { forbidden, unauthorized } from '../../shared/errors';
import { roleCan, type Permission } from '../../shared/rbac';
import { actorFromToken } from './auth.service';

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1] ?? null;
}

/** Reads the bearer token if present; a present but invalid token is rejected (401), never ignored. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header('authorization'));
  c.set('actor', token ? await actorFromToken(ctxOf(c), token) : { kind: 'anonymous' });
  await next();
});

/** Storefront routes that need a signed-in shopper. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  requireShopper(c.get('actor'), 'this route is for shoppers');
  await next();
});

/** Admin routes: a staff token whose role holds `perm`. Row-level limits (own merchant) are the service's job. */
export const requireStaff = (perm: Permission) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const actor = c.get('actor');
    if (actor.kind === 'anonymous') throw unauthorized();
    if (actor.kind !== 'staff') throw forbidden('this route is for staff');
    if (!roleCan(actor.role, perm)) throw forbidden(`role ${actor.role} lacks permission ${perm}`);
    await next();
  });
