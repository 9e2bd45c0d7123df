import type { Db } from './db';
import { forbidden, unauthorized } from './errors';
import type { Env } from './env';
import type { Logger } from './log';
import type { StaffRole } from './rbac';

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; sessionId: string }
  | { kind: 'staff'; staffId: string; role: StaffRole; merchantId: string | null; sessionId: string }
  | { kind: 'system'; name: string };

/** What every service function receives first, so tests can fix the clock and the actor. */
export interface Ctx {
  db: Db;
  env: Env;
  actor: Actor;
  now: number;
  requestId: string;
  log: Logger;
  /** Lets background work outlive the response (ExecutionContext.waitUntil); optional in tests. */
  waitUntil?: (p: Promise<unknown>) => void;
}

export type StaffActor = Extract<Actor, { kind: 'staff' }>;
export type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * The shopper behind a request. Nobody signed in is `401 auth.unauthorized`; staff or the system
 * acting is `403 auth.forbidden` with `message` — what `requireUser` answers, so a service called
 * without that middleware refuses exactly as its route does.
 */
export function requireShopper(actor: Actor, message = 'this is for signed-in shoppers'): UserActor {
  if (actor.kind === 'user') return actor;
  if (actor.kind === 'anonymous') throw unauthorized();
  throw forbidden(message);
}

/** The signed-in shopper's id, refusing anyone else as `requireShopper` does. */
export function shopperId(ctx: { actor: Actor }, message?: string): string {
  return requireShopper(ctx.actor, message).userId;
}

/** The shopper's id, or null for anyone else: for public reads that add a signed-in shopper's own view. */
export function shopperIdOrNull(ctx: { actor: Actor }): string | null {
  return ctx.actor.kind === 'user' ? ctx.actor.userId : null;
}
