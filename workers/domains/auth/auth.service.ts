import { and, eq, isNull } from 'drizzle-orm';
import type { Actor, Ctx } from '../../shared/context';
import { requireSecret } from '../../shared/env';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { randomToken, sha256Hex } from '../../shared/crypto';
import type { StaffRole } from '../../shared/rbac';
import { ACCESS_TTL_SECONDS, signAccessToken, verifyAccessToken } from '../../shared/tokens';
import { sessions } from './schema';

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

export type Subject = { type: 'user'; id: string } | { type: 'staff'; id: string; role: StaffRole; merchantId: string | null };

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

async function accessFor(ctx: Ctx, subject: Subject, sessionId: string): Promise<string> {
  const secret = requireSecret(ctx.env, 'JWT_SECRET');
  return subject.type === 'user'
    ? signAccessToken(secret, { typ: 'user', sub: subject.id, sid: sessionId }, ctx.now)
    : signAccessToken(secret, { typ: 'staff', sub: subject.id, sid: sessionId, role: subject.role, mid: subject.merchantId }, ctx.now);
}

/** Starts a session: a short-lived access token plus a refresh token stored only as its hash. */
export async function startSession(ctx: Ctx, subject: Subject): Promise<TokenPair> {
  const sessionId = newId('ses');
  const refreshToken = `rt_${randomToken()}`;
  await ctx.db.insert(sessions).values({
    id: sessionId,
    subjectType: subject.type,
    subjectId: subject.id,
    refreshHash: await sha256Hex(refreshToken),
    expiresAt: ctx.now + REFRESH_TTL_MS,
    createdAt: ctx.now,
  });
  return { accessToken: await accessFor(ctx, subject, sessionId), refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TTL_SECONDS };
}

/**
 * Rotates a refresh token: the old one stops working at once, and two concurrent refreshes with
 * the same token cannot both succeed.
 */
export async function refreshSession(
  ctx: Ctx,
  refreshToken: string,
  loadSubject: (type: 'user' | 'staff', id: string) => Promise<Subject | null>,
): Promise<TokenPair> {
  const hash = await sha256Hex(refreshToken);
  const [row] = await ctx.db.select().from(sessions).where(eq(sessions.refreshHash, hash)).limit(1);
  if (!row) throw new AppError('auth.invalid_refresh_token', 401, 'refresh token is invalid or already used; sign in again');
  if (row.revokedAt != null || row.expiresAt <= ctx.now) throw new AppError('auth.session_ended', 401, 'session has ended; sign in again');
  const subject = await loadSubject(row.subjectType, row.subjectId);
  if (!subject) throw new AppError('auth.session_ended', 401, 'account is no longer active');
  const next = `rt_${randomToken()}`;
  // Guarded on the old hash so two concurrent refreshes cannot both succeed.
  const res = await ctx.db
    .update(sessions)
    .set({ refreshHash: await sha256Hex(next), lastRefreshedAt: ctx.now, expiresAt: ctx.now + REFRESH_TTL_MS })
    .where(and(eq(sessions.id, row.id), eq(sessions.refreshHash, hash), isNull(sessions.revokedAt)));
  if (res.meta.changes !== 1) throw new AppError('auth.invalid_refresh_token', 401, 'refresh token already used');
  return { accessToken: await accessFor(ctx, subject, row.id), refreshToken: next, tokenType: 'Bearer', expiresIn: ACCESS_TTL_SECONDS };
}

/** Logout: revokes the session, so its access and refresh tokens stop working immediately. */
export async function revokeSession(ctx: Ctx, sessionId: string): Promise<void> {
  liveSessions.delete(sessionId);
  await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.now })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Verifies a bearer token and that its session is still live; returns the actor it stands for. */
/**
 * Sessions seen live recently, per isolate: a crowd of shoppers tapping a flash sale would
 * otherwise cost one D1 read per tap. A logout clears the entry in the isolate that handled it;
 * other isolates notice within SESSION_CACHE_MS (the access token itself lives 15 minutes).
 */
const SESSION_CACHE_MS = 30_000;
const liveSessions = new Map<string, number>();

export async function actorFromToken(ctx: Ctx, token: string): Promise<Actor> {
  const claims = await verifyAccessToken(requireSecret(ctx.env, 'JWT_SECRET'), token, ctx.now);
  const cachedUntil = liveSessions.get(claims.sid);
  if (!(cachedUntil && cachedUntil > ctx.now)) {
    const [row] = await ctx.db
      .select({ revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.id, claims.sid))
      .limit(1);
    if (!row || row.revokedAt != null || row.expiresAt <= ctx.now)
      throw new AppError('auth.session_ended', 401, 'session has ended; sign in again');
    if (liveSessions.size > 50_000) liveSessions.clear();
    liveSessions.set(claims.sid, Math.min(ctx.now + SESSION_CACHE_MS, row.expiresAt));
  }
  return claims.typ === 'user'
    ? { kind: 'user', userId: claims.sub, sessionId: claims.sid }
    : { kind: 'staff', staffId: claims.sub, role: claims.role, merchantId: claims.mid, sessionId: claims.sid };
}

/**
 * A statement ending every open session of a subject (a staff member disabled or given another
 * role), to run in the caller's batch; then call forgetSubjectSessions so this isolate's cache
 * stops accepting them at once (other isolates within SESSION_CACHE_MS).
 */
export function revokeSubjectSessionsStatement(ctx: Ctx, type: 'user' | 'staff', id: string): D1PreparedStatement {
  return ctx.env.DB.prepare('UPDATE sessions SET revoked_at = ?1 WHERE subject_type = ?2 AND subject_id = ?3 AND revoked_at IS NULL').bind(
    ctx.now,
    type,
    id,
  );
}

/** Drops a subject's sessions from this isolate's live-session cache. */
export async function forgetSubjectSessions(ctx: Ctx, type: 'user' | 'staff', id: string): Promise<void> {
  const rows = await ctx.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.subjectType, type), eq(sessions.subjectId, id)));
  for (const r of rows) liveSessions.delete(r.id);
}
