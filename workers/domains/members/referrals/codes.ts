import { eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { referralCodes } from './schema';

/** No 0/O, 1/I/L, U (reads as V): a code read aloud or copied from a poster is not misread. 30 symbols. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

/** A random code: 8 symbols by rejection sampling (unbiased), ~39 bits — not enumerable. */
export function newInviteCode(): string {
  const limit = 256 - (256 % ALPHABET.length);
  let out = '';
  while (out.length < CODE_LENGTH) {
    for (const b of crypto.getRandomValues(new Uint8Array(16))) {
      if (b >= limit) continue;
      out += ALPHABET[b % ALPHABET.length];
      if (out.length === CODE_LENGTH) break;
    }
  }
  return out;
}

/** The shopper's invite code, made on first use. Concurrent first calls agree (user id is the key). */
export async function inviteCodeOf(ctx: Ctx, userId: string): Promise<string> {
  const [have] = await ctx.db.select({ code: referralCodes.code }).from(referralCodes).where(eq(referralCodes.userId, userId)).limit(1);
  if (have) return have.code;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      // A user-id conflict means a concurrent call made it: keep theirs.
      await ctx.db
        .insert(referralCodes)
        .values({ userId, code: newInviteCode(), createdAt: ctx.now })
        .onConflictDoNothing({ target: referralCodes.userId });
    } catch (e) {
      // The code itself collided with another shopper's (1 in ~10^11): draw again.
      if (/UNIQUE/i.test(String((e as { cause?: unknown })?.cause ?? e))) continue;
      throw e;
    }
    const [row] = await ctx.db.select({ code: referralCodes.code }).from(referralCodes).where(eq(referralCodes.userId, userId)).limit(1);
    if (row) return row.code;
  }
  throw new Error('could not make an invite code');
}

/** Whose code this is (null: nobody's). */
export async function inviterOfCode(ctx: Ctx, code: string): Promise<string | null> {
  const [row] = await ctx.db.select({ userId: referralCodes.userId }).from(referralCodes).where(eq(referralCodes.code, code)).limit(1);
  return row?.userId ?? null;
}

/** The shopper's code if one was made (null otherwise; a lookup must not make codes). */
export async function existingInviteCode(ctx: Ctx, userId: string): Promise<string | null> {
  const [row] = await ctx.db.select({ code: referralCodes.code }).from(referralCodes).where(eq(referralCodes.userId, userId)).limit(1);
  return row?.code ?? null;
}
