import { desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { isSandbox } from '../../shared/env';
import { AppError, conflict, forbidden } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { hashPassword, verifyPassword } from '../../shared/crypto';
import { iso, stmt } from '../../shared/db';
import { permissionsOf, type StaffRole } from '../../shared/rbac';
import { refreshSession, startSession, type TokenPair } from '../auth/auth.service';
import { getMerchant } from '../merchants/merchants.service';
import { staff } from './schema';
import type { StaffDto } from './dto';

type StaffRow = typeof staff.$inferSelect;
const MAX_FAILED_LOGINS = 5;
const LOCK_MS = 15 * 60_000;
export const SEED_ADMIN_EMAIL = 'admin@edgemall.local';

export const toStaffDto = (s: StaffRow): StaffDto => ({
  id: s.id,
  email: s.email,
  name: s.name,
  role: s.role,
  merchantId: s.merchantId,
  status: s.status,
  permissions: [...permissionsOf(s.role)],
  createdAt: iso(s.createdAt)!,
});

/**
 * Creates the seeded admin from SEED_ADMIN_PASSWORD (.dev.vars) the first time it is needed,
 * outside production only, so a fresh clone can sign in without a manual step.
 */
export async function ensureSeedAdmin(ctx: Ctx): Promise<void> {
  const password = ctx.env.SEED_ADMIN_PASSWORD;
  if (ctx.env.ENVIRONMENT === 'production' || !password) return;
  const email = ctx.env.SEED_ADMIN_EMAIL ?? SEED_ADMIN_EMAIL;
  const [existing] = await ctx.db.select({ id: staff.id }).from(staff).where(eq(staff.email, email)).limit(1);
  if (existing) return;
  await ctx.db
    .insert(staff)
    .values({ id: newId('stf'), email, name: '平台管理员', passwordHash: await hashPassword(password), role: 'admin', createdAt: ctx.now })
    .onConflictDoNothing();
}

const badCredentials = () => new AppError('staff.invalid_credentials', 401, 'email or password is wrong');

/**
 * Admits one password check for this account, or says why not. The attempt is counted before
 * the password is compared, in one guarded UPDATE, so a burst of concurrent guesses cannot all
 * be checked: only MAX_FAILED_LOGINS updates can pass `failed_logins < MAX` before the lock.
 * The attempt that reaches the limit sets the lock; a lock that has run out starts a new count.
 * Returns the count this attempt made, or null when the account is locked.
 */
async function admitLoginAttempt(ctx: Ctx, staffId: string): Promise<number | null> {
  const expired = 'locked_until IS NOT NULL AND locked_until <= ?2';
  const res = await ctx.env.DB.prepare(
    `UPDATE staff SET
       failed_logins = CASE WHEN ${expired} THEN 1 ELSE failed_logins + 1 END,
       locked_until = CASE
         WHEN ${expired} THEN NULL
         WHEN failed_logins + 1 >= ?3 THEN ?4
         ELSE locked_until END
     WHERE id = ?1 AND (failed_logins < ?3 OR ${expired})
     RETURNING failed_logins AS count`,
  )
    .bind(staffId, ctx.now, MAX_FAILED_LOGINS, ctx.now + LOCK_MS)
    .first<{ count: number }>();
  return res?.count ?? null;
}

/**
 * adminLogin: email + password → session tokens; five wrong passwords lock the account for 15
 * minutes. Each check is admitted atomically first (admitLoginAttempt), so the limit holds under
 * a concurrent burst as it does one request at a time.
 */
export async function loginStaff(ctx: Ctx, input: { email: string; password: string }) {
  if (input.email === (ctx.env.SEED_ADMIN_EMAIL ?? SEED_ADMIN_EMAIL) || isSandbox(ctx.env)) await ensureSeedAdmin(ctx);
  const [s] = await ctx.db.select().from(staff).where(eq(staff.email, input.email)).limit(1);
  if (!s) {
    await hashPassword(input.password); // same work either way, so timing does not reveal which emails exist
    throw badCredentials();
  }
  const attempt = await admitLoginAttempt(ctx, s.id);
  if (attempt === null) {
    const [now] = await ctx.db.select({ lockedUntil: staff.lockedUntil }).from(staff).where(eq(staff.id, s.id)).limit(1);
    throw new AppError('staff.locked', 423, 'too many failed sign-ins; try again later', {
      lockedUntil: iso(now?.lockedUntil ?? ctx.now + LOCK_MS),
    });
  }
  // The admitted attempt already counts as a failure; only the right password clears the count.
  if (!(await verifyPassword(input.password, s.passwordHash))) throw badCredentials();
  if (s.status !== 'active') throw new AppError('staff.disabled', 403, 'this staff account is disabled');
  // Clear the count only if no other attempt was admitted meanwhile: guesses racing a right
  // password still count toward the lock, so a burst never gets more than the limit checked.
  await ctx.env.DB.prepare(
    `UPDATE staff SET last_login_at = ?2,
       locked_until = CASE WHEN failed_logins = ?3 THEN NULL ELSE locked_until END,
       failed_logins = CASE WHEN failed_logins = ?3 THEN 0 ELSE failed_logins END
     WHERE id = ?1`,
  )
    .bind(s.id, ctx.now, attempt)
    .run();
  const tokens = await startSession(ctx, { type: 'staff', id: s.id, role: s.role, merchantId: s.merchantId });
  return { ...tokens, staff: toStaffDto(s) };
}

export function refreshStaffTokens(ctx: Ctx, refreshToken: string): Promise<TokenPair> {
  return refreshSession(ctx, refreshToken, async (type, id) => {
    if (type !== 'staff') return null;
    const [s] = await ctx.db.select().from(staff).where(eq(staff.id, id)).limit(1);
    return s?.status === 'active' ? { type: 'staff', id, role: s.role, merchantId: s.merchantId } : null;
  });
}

export async function getStaff(ctx: Ctx, id: string): Promise<StaffDto> {
  const [s] = await ctx.db.select().from(staff).where(eq(staff.id, id)).limit(1);
  if (!s) throw new AppError('staff.not_found', 404, 'staff member not found');
  return toStaffDto(s);
}

/** Admin creates a staff account; merchant staff must belong to an existing merchant. */
export async function createStaff(
  ctx: Ctx,
  input: { email: string; name: string; password: string; role: StaffRole; merchantId?: string },
): Promise<StaffDto> {
  if (ctx.actor.kind !== 'staff' || ctx.actor.role !== 'admin') throw forbidden('only admins manage staff');
  if (input.merchantId) await getMerchant(ctx, input.merchantId);
  const row: StaffRow = {
    id: newId('stf'),
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    merchantId: input.merchantId ?? null,
    status: 'active',
    failedLogins: 0,
    lockedUntil: null,
    createdAt: ctx.now,
    lastLoginAt: null,
  };
  const res = await ctx.db.insert(staff).values(row).onConflictDoNothing();
  if (res.meta.changes !== 1) throw conflict('staff.email_taken', `a staff account with email ${input.email} already exists`);
  return toStaffDto(row);
}

/** True when a staff account already signs in with this (lower-case) email. */
export async function staffEmailTaken(ctx: Ctx, email: string): Promise<boolean> {
  const [s] = await ctx.db.select({ id: staff.id }).from(staff).where(eq(staff.email, email)).limit(1);
  return !!s;
}

/**
 * The INSERT of a staff account from an already computed password hash (merchant onboarding
 * hashes at application time), as a raw statement for the caller's batch. The unique email
 * index fails that batch if the email was taken meanwhile.
 */
export function staffInsertFromHashStatement(
  ctx: Ctx,
  input: { id: string; email: string; name: string; passwordHash: string; role: StaffRole; merchantId: string | null },
): D1PreparedStatement {
  return stmt(
    ctx.env.DB,
    ctx.db.insert(staff).values({
      id: input.id,
      email: input.email,
      name: input.name,
      passwordHash: input.passwordHash,
      role: input.role,
      merchantId: input.merchantId,
      status: 'active',
      failedLogins: 0,
      createdAt: ctx.now,
    }),
  );
}

export async function listStaff(ctx: Ctx): Promise<StaffDto[]> {
  const rows = await ctx.db.select().from(staff).orderBy(desc(staff.createdAt)).limit(500);
  return rows.map(toStaffDto);
}
