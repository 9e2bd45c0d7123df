import type { Db } from './db';
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
