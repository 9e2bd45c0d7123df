import { asc, desc, eq } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { CannedReplyDto, CreateCannedReplyInput, UpdateCannedReplyInput } from './dto';
import { supportCannedReplies } from './schema';

type Row = typeof supportCannedReplies.$inferSelect;

const toDto = (r: Row): CannedReplyDto => ({
  id: r.id,
  title: r.title,
  body: r.body,
  enabled: r.enabled,
  createdAt: iso(r.createdAt)!,
  updatedAt: iso(r.updatedAt)!,
});

/** listCannedReplies: enabled first, then by title. */
export async function listCannedReplies(ctx: Ctx): Promise<{ items: CannedReplyDto[] }> {
  const rows = await ctx.db
    .select()
    .from(supportCannedReplies)
    .orderBy(desc(supportCannedReplies.enabled), asc(supportCannedReplies.title), asc(supportCannedReplies.id));
  return { items: rows.map(toDto) };
}

/** createCannedReply */
export async function createCannedReply(ctx: Ctx, input: z.output<typeof CreateCannedReplyInput>): Promise<CannedReplyDto> {
  const row: Row = {
    id: newId('scr'),
    title: input.title,
    body: input.body,
    enabled: input.enabled,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.db.insert(supportCannedReplies).values(row);
  return toDto(row);
}

/** updateCannedReply (enabled false takes it out of the inbox's picker). */
export async function updateCannedReply(ctx: Ctx, id: string, input: z.output<typeof UpdateCannedReplyInput>): Promise<CannedReplyDto> {
  const [row] = await ctx.db.select().from(supportCannedReplies).where(eq(supportCannedReplies.id, id)).limit(1);
  if (!row) throw notFound('support.canned_reply_not_found', `canned reply ${id}`);
  const next: Row = {
    ...row,
    title: input.title ?? row.title,
    body: input.body ?? row.body,
    enabled: input.enabled ?? row.enabled,
    updatedAt: ctx.now,
  };
  await ctx.db.update(supportCannedReplies).set(next).where(eq(supportCannedReplies.id, id));
  return toDto(next);
}
