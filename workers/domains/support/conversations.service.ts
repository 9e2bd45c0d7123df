import { and, asc, desc, eq, gt, ne } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { shopperId } from '../../shared/context';
import { iso } from '../../shared/db';
import { notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Match, Severity } from '../screening/matcher';
import type { ConversationDto, MessageDto } from './dto';
import { broadcastMessage } from './live';
import { supportConversations, supportMessages, supportTickets, type MessageSender } from './schema';

export type ConversationRow = typeof supportConversations.$inferSelect;
type MessageRow = typeof supportMessages.$inferSelect;

/** `forAgents`: with the screening result of shopper messages (agents see it, the shopper does not). */
export const toMessageDto = (m: MessageRow, forAgents = false): MessageDto => ({
  id: m.id,
  conversationId: m.conversationId,
  seq: m.seq,
  sender: m.sender,
  body: m.body,
  source: m.source,
  screen: forAgents && m.screenVerdict ? { verdict: m.screenVerdict as Severity, matches: m.screenMatches ?? [] } : null,
  createdAt: iso(m.createdAt)!,
});

/** The conversation with its latest ticket's id and rating. */
export async function toConversationDto(ctx: Ctx, c: ConversationRow): Promise<ConversationDto> {
  const [t] = await ctx.db
    .select({ id: supportTickets.id, rating: supportTickets.rating })
    .from(supportTickets)
    .where(eq(supportTickets.conversationId, c.id))
    .orderBy(desc(supportTickets.createdAt), desc(supportTickets.id))
    .limit(1);
  return {
    id: c.id,
    orderId: c.orderId,
    status: c.status,
    mode: c.mode,
    ticketId: t?.id ?? null,
    rating: t?.rating ?? null,
    createdAt: iso(c.createdAt)!,
    closedAt: iso(c.closedAt),
  };
}

export async function conversationRow(ctx: Ctx, conversationId: string): Promise<ConversationRow> {
  const [c] = await ctx.db.select().from(supportConversations).where(eq(supportConversations.id, conversationId)).limit(1);
  if (!c) throw notFound('support.conversation_not_found', `conversation ${conversationId}`);
  return c;
}

/** The signed-in shopper's conversation; another shopper's is "not found" so ids cannot be probed. */
export async function ownConversation(ctx: Ctx, conversationId: string): Promise<ConversationRow> {
  const userId = shopperId(ctx);
  const c = await conversationRow(ctx, conversationId).catch(() => null);
  if (!c || c.userId !== userId) throw notFound('support.conversation_not_found', `conversation ${conversationId}`);
  return c;
}

/**
 * The shopper's open conversation, made if there is none. The INSERT … ON CONFLICT on the
 * open-key unique index decides a race: concurrent starts all read back the one row that won.
 * An `orderId` (already checked to be the shopper's) becomes the conversation's order card.
 */
export async function openConversationFor(
  ctx: Ctx,
  userId: string,
  orderId: string | null,
): Promise<{ row: ConversationRow; created: boolean }> {
  const id = newId('scv');
  const d1 = ctx.env.DB;
  await d1
    .prepare(
      `INSERT INTO support_conversations (id, user_id, open_key, order_id, status, mode, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'open', 'bot', ?, ?) ON CONFLICT(open_key) DO NOTHING`,
    )
    .bind(id, userId, userId, orderId, ctx.now, ctx.now)
    .run();
  if (orderId)
    await d1
      .prepare(`UPDATE support_conversations SET order_id = ?, updated_at = ? WHERE open_key = ? AND order_id IS NOT ?`)
      .bind(orderId, ctx.now, userId, orderId)
      .run();
  const [row] = await ctx.db.select().from(supportConversations).where(eq(supportConversations.openKey, userId)).limit(1);
  if (!row) throw new Error('open conversation vanished after insert');
  return { row, created: row.id === id };
}

export interface NewMessage {
  conversationId: string;
  sender: MessageSender;
  body: string;
  clientMsgId: string;
  staffId?: string | null;
  source?: string | null;
  /** what the compliance screen found in a shopper's message (nothing: null) */
  screen?: { verdict: Severity; matches: Match[] } | null;
}

/**
 * Stores a message at the end of its conversation, once per clientMsgId: seq is max+1 computed in
 * the INSERT itself (D1 runs one statement at a time, and the (conversation, seq) unique index
 * backs it), and a repeated clientMsgId inserts nothing and returns the first message. A stored
 * message is relayed to the conversation's live sockets.
 */
export async function appendMessage(ctx: Ctx, m: NewMessage): Promise<{ message: MessageDto; duplicate: boolean }> {
  const id = newId('smg');
  const res = await ctx.env.DB.prepare(
    `INSERT INTO support_messages (id, conversation_id, seq, sender, staff_id, body, client_msg_id, source, screen_verdict, screen_matches, created_at)
     SELECT ?, ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM support_messages WHERE conversation_id = ?
     ON CONFLICT(conversation_id, client_msg_id) DO NOTHING`,
  )
    .bind(
      id,
      m.conversationId,
      m.sender,
      m.staffId ?? null,
      m.body,
      m.clientMsgId,
      m.source ?? null,
      m.screen?.verdict ?? null,
      m.screen ? JSON.stringify(m.screen.matches) : null,
      ctx.now,
      m.conversationId,
    )
    .run();
  const [row] = await ctx.db
    .select()
    .from(supportMessages)
    .where(and(eq(supportMessages.conversationId, m.conversationId), eq(supportMessages.clientMsgId, m.clientMsgId)))
    .limit(1);
  if (!row) throw new Error('stored message not found');
  const duplicate = res.meta.changes === 0;
  if (!duplicate) {
    await ctx.env.DB.prepare(`UPDATE support_conversations SET updated_at = ? WHERE id = ?`).bind(ctx.now, m.conversationId).run();
    // the live relay reaches agents too, so it carries the screen result (the shopper's page ignores it)
    await broadcastMessage(ctx, toMessageDto(row, true));
  }
  return { message: toMessageDto(row), duplicate };
}

/** A conversation's messages after `after` (seq), oldest first. */
export async function messagesAfter(
  ctx: Ctx,
  conversationId: string,
  after: number,
  limit: number,
  opts: { withNotes: boolean },
): Promise<MessageDto[]> {
  const rows = await ctx.db
    .select()
    .from(supportMessages)
    .where(
      and(
        eq(supportMessages.conversationId, conversationId),
        gt(supportMessages.seq, after),
        // internal notes never reach the shopper
        opts.withNotes ? undefined : ne(supportMessages.sender, 'note'),
      ),
    )
    .orderBy(asc(supportMessages.seq))
    .limit(limit);
  return rows.map((r) => toMessageDto(r, opts.withNotes));
}

/** The bot replies stored for a shopper message (their clientMsgId is derived from it), for a retried send. */
export async function repliesTo(ctx: Ctx, conversationId: string, messageId: string): Promise<MessageDto[]> {
  const rows = await ctx.db
    .select()
    .from(supportMessages)
    .where(and(eq(supportMessages.conversationId, conversationId), eq(supportMessages.clientMsgId, `bot:${messageId}`)));
  return rows.map((r) => toMessageDto(r));
}

/** listSupportMessages: the shopper's own conversation only, polled with `after`. */
export async function listSupportMessages(ctx: Ctx, conversationId: string, q: { after: number; limit: number }) {
  const c = await ownConversation(ctx, conversationId);
  const items = await messagesAfter(ctx, c.id, q.after, q.limit, { withNotes: false });
  return { conversation: await toConversationDto(ctx, c), items, lastSeq: items.at(-1)?.seq ?? q.after };
}

/** The shopper's latest conversation (open or not), for the chat page to resume. */
export async function latestConversationOf(ctx: Ctx): Promise<ConversationDto | null> {
  const [c] = await ctx.db
    .select()
    .from(supportConversations)
    .where(eq(supportConversations.userId, shopperId(ctx)))
    .orderBy(desc(supportConversations.createdAt), desc(supportConversations.id))
    .limit(1);
  return c ? toConversationDto(ctx, c) : null;
}
