// Staff-set shopper tags (用户标签): a name, and which shoppers carry it. Segments match on them.
import { and, asc, count, eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, iso, stmt } from '../../../shared/db';
import { conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { getNicknames } from '../../users/users.service';
import { memberTags, memberUserTags } from './schema';

const staffId = (ctx: Ctx) => (ctx.actor.kind === 'staff' ? ctx.actor.staffId : 'system');

/** listMemberTags: every tag with how many shoppers carry it. */
export async function listTags(ctx: Ctx) {
  const [tags, counts] = await Promise.all([
    ctx.db.select().from(memberTags).orderBy(asc(memberTags.createdAt)),
    ctx.db.select({ tagId: memberUserTags.tagId, n: count() }).from(memberUserTags).groupBy(memberUserTags.tagId),
  ]);
  const n = new Map(counts.map((c) => [c.tagId, c.n]));
  return { items: tags.map((t) => ({ id: t.id, name: t.name, members: n.get(t.id) ?? 0, createdAt: iso(t.createdAt)! })) };
}

/** createMemberTag: names are unique (409 members.tag_name_taken). */
export async function createTag(ctx: Ctx, name: string) {
  const row = { id: newId('tag'), name, createdBy: staffId(ctx), createdAt: ctx.now };
  try {
    await ctx.db.insert(memberTags).values(row);
  } catch (e) {
    if (batchFailure(e) === 'unique') throw conflict('members.tag_name_taken', `a tag named “${name}” already exists`);
    throw e;
  }
  return { id: row.id, name, members: 0, createdAt: iso(row.createdAt)! };
}

async function tagRow(ctx: Ctx, tagId: string) {
  const [t] = await ctx.db.select().from(memberTags).where(eq(memberTags.id, tagId)).limit(1);
  if (!t) throw notFound('members.tag_not_found', `tag ${tagId}`);
  return t;
}

/** tagMembers: adds the tag to shoppers; repeats and unknown shoppers change nothing (idempotent). */
export async function tagUsers(ctx: Ctx, tagId: string, userIds: string[]) {
  await tagRow(ctx, tagId);
  const ids = [...new Set(userIds)];
  const known = await getNicknames(ctx, ids);
  const real = ids.filter((id) => known.has(id));
  if (!real.length) return { tagged: 0, skipped: ids.length };
  const results = await ctx.env.DB.batch(
    real.map((userId) =>
      stmt(
        ctx.env.DB,
        ctx.db
          .insert(memberUserTags)
          .values({ userId, tagId, createdBy: staffId(ctx), createdAt: ctx.now })
          .onConflictDoNothing(),
      ),
    ),
  );
  const tagged = results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
  return { tagged, skipped: ids.length - tagged };
}

/** untagMember: removes the tag from one shopper (204 whether or not they had it). */
export async function untagUser(ctx: Ctx, tagId: string, userId: string): Promise<void> {
  await tagRow(ctx, tagId);
  await ctx.db.delete(memberUserTags).where(and(eq(memberUserTags.tagId, tagId), eq(memberUserTags.userId, userId)));
}

/** deleteMemberTag: the tag and every shopper's copy of it, at once. */
export async function deleteTag(ctx: Ctx, tagId: string): Promise<void> {
  await tagRow(ctx, tagId);
  await ctx.env.DB.batch([
    stmt(ctx.env.DB, ctx.db.delete(memberUserTags).where(eq(memberUserTags.tagId, tagId))),
    stmt(ctx.env.DB, ctx.db.delete(memberTags).where(eq(memberTags.id, tagId))),
  ]);
}
