import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { Ctx, StaffActor } from '../../shared/context';
import { shopperId } from '../../shared/context';
import { batchFailure, guard, iso } from '../../shared/db';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { roleCan } from '../../shared/rbac';
import { CONVERSATION_CATEGORIES, screen } from '../screening/screen.service';
import { getStaff } from '../staff/staff.service';
import { newId } from '../../shared/ids';
import { appendMessage, conversationRow, messagesAfter, ownConversation, toConversationDto } from './conversations.service';
import type { TicketDto } from './dto';
import { supportConversations, supportTickets, type TicketReason } from './schema';

type TicketRow = typeof supportTickets.$inferSelect;

const MINUTE = 60_000;
/** SLA: an agent answers a new ticket within 10 minutes and resolves it within 24 hours. */
export const FIRST_RESPONSE_SLA_MS = 10 * MINUTE;
export const RESOLUTION_SLA_MS = 24 * 60 * MINUTE;

const toDto = (t: TicketRow, orderId: string | null): TicketDto => ({
  id: t.id,
  conversationId: t.conversationId,
  userId: t.userId,
  orderId,
  status: t.status,
  reason: t.reason,
  priority: t.priority,
  subject: t.subject,
  assigneeId: t.assigneeId,
  firstResponseDueAt: iso(t.firstResponseDueAt)!,
  firstResponseAt: iso(t.firstResponseAt),
  firstResponseBreached: t.firstResponseBreachedAt != null,
  resolutionDueAt: iso(t.resolutionDueAt)!,
  resolutionBreached: t.resolutionBreachedAt != null,
  rating: t.rating,
  escalationLevel: t.escalationLevel,
  escalatedAt: iso(t.escalatedAt),
  compensationCouponId: t.compensationCouponId,
  createdAt: iso(t.createdAt)!,
  closedAt: iso(t.closedAt),
});

function staffOf(ctx: Ctx): StaffActor {
  if (ctx.actor.kind !== 'staff') throw forbidden('support staff only');
  return ctx.actor;
}

/**
 * Hands an open conversation to people: one open ticket per conversation (partial unique index)
 * and the conversation switched to human mode, in one batch. Repeating it (a retried send, a
 * second 转人工) keeps the first ticket.
 */
export async function openTicket(
  ctx: Ctx,
  conversationId: string,
  t: { reason: TicketReason; priority: number; subject: string },
): Promise<{ ticketId: string; created: boolean }> {
  const d1 = ctx.env.DB;
  const id = newId('tkt');
  const c = await conversationRow(ctx, conversationId);
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO support_tickets (id, conversation_id, user_id, status, reason, priority, subject, first_response_due_at, resolution_due_at, created_at)
         SELECT ?, ?, ?, 'open', ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM support_conversations WHERE id = ? AND status = 'open')
         ON CONFLICT(conversation_id) WHERE status = 'open' DO NOTHING`,
      )
      .bind(
        id,
        conversationId,
        c.userId,
        t.reason,
        t.priority,
        t.subject.slice(0, 200),
        ctx.now + FIRST_RESPONSE_SLA_MS,
        ctx.now + RESOLUTION_SLA_MS,
        ctx.now,
        conversationId,
      ),
    d1
      .prepare(`UPDATE support_conversations SET mode = 'human', updated_at = ? WHERE id = ? AND status = 'open'`)
      .bind(ctx.now, conversationId),
  ]);
  const [open] = await ctx.db
    .select({ id: supportTickets.id })
    .from(supportTickets)
    .where(and(eq(supportTickets.conversationId, conversationId), eq(supportTickets.status, 'open')))
    .limit(1);
  if (!open) throw conflict('support.conversation_closed', 'this conversation is closed; start a new one');
  return { ticketId: open.id, created: open.id === id };
}

async function ticketRow(ctx: Ctx, ticketId: string): Promise<TicketRow> {
  const [t] = await ctx.db.select().from(supportTickets).where(eq(supportTickets.id, ticketId)).limit(1);
  if (!t) throw notFound('support.ticket_not_found', `ticket ${ticketId}`);
  return t;
}

/** The conversation of a ticket (staff only), for the agent's live socket. */
export async function ticketConversationId(ctx: Ctx, ticketId: string): Promise<string> {
  staffOf(ctx);
  return (await ticketRow(ctx, ticketId)).conversationId;
}

/** listTickets: the queue, highest priority first, then oldest. */
export async function listTickets(
  ctx: Ctx,
  q: { status: 'open' | 'closed'; mine: boolean; escalated?: boolean; userId?: string; limit: number },
): Promise<{ items: TicketDto[] }> {
  const me = staffOf(ctx);
  const rows = await ctx.db
    .select({ t: supportTickets, orderId: supportConversations.orderId })
    .from(supportTickets)
    .innerJoin(supportConversations, eq(supportConversations.id, supportTickets.conversationId))
    .where(
      and(
        eq(supportTickets.status, q.status),
        q.mine ? eq(supportTickets.assigneeId, me.staffId) : undefined,
        q.userId ? eq(supportTickets.userId, q.userId) : undefined,
        q.escalated ? gt(supportTickets.escalationLevel, 0) : undefined,
      ),
    )
    .orderBy(
      ...(q.status === 'open' ? [desc(supportTickets.priority), asc(supportTickets.createdAt)] : [desc(supportTickets.closedAt)]),
      asc(supportTickets.id),
    )
    .limit(q.limit);
  return { items: rows.map((r) => toDto(r.t, r.orderId)) };
}

/** getTicket: the ticket and its whole conversation (after=0), polled by the inbox with `after`. */
export async function getTicket(ctx: Ctx, ticketId: string, after = 0) {
  staffOf(ctx);
  const t = await ticketRow(ctx, ticketId);
  const c = await conversationRow(ctx, t.conversationId);
  return { ticket: toDto(t, c.orderId), messages: await messagesAfter(ctx, c.id, after, 500, { withNotes: true }) };
}

/**
 * replyTicket: the agent's message into the conversation (stored once per clientMessageId, relayed
 * live). The first reply stamps the first response and takes an unassigned ticket.
 */
export async function replyTicket(ctx: Ctx, ticketId: string, input: { text: string; clientMessageId: string }) {
  const me = staffOf(ctx);
  const t = await ticketRow(ctx, ticketId);
  if (t.status !== 'open') throw conflict('support.ticket_closed', 'this ticket is closed');
  // What an agent says is the shop speaking: a block-level word (abuse, diversion off the platform) is refused with where it is.
  const screened = await screen(ctx, input.text, { categories: CONVERSATION_CATEGORIES });
  if (screened.verdict === 'block')
    throw badRequest('support.reply_blocked', 'the reply contains words customer service may not send', { matches: screened.matches });
  const { message, duplicate } = await appendMessage(ctx, {
    conversationId: t.conversationId,
    sender: 'agent',
    staffId: me.staffId,
    body: input.text,
    clientMsgId: `agent:${input.clientMessageId}`,
  });
  await ctx.env.DB.prepare(
    `UPDATE support_tickets SET first_response_at = coalesce(first_response_at, ?), assignee_id = coalesce(assignee_id, ?) WHERE id = ?`,
  )
    .bind(ctx.now, me.staffId, ticketId)
    .run();
  return { message, duplicate, ticket: (await getTicket(ctx, ticketId, Number.MAX_SAFE_INTEGER)).ticket };
}

/** addTicketNote: an internal note in the conversation, for agents only (not a response to the shopper). */
export async function addTicketNote(ctx: Ctx, ticketId: string, input: { text: string; clientMessageId: string }) {
  const me = staffOf(ctx);
  const t = await ticketRow(ctx, ticketId);
  const { message, duplicate } = await appendMessage(ctx, {
    conversationId: t.conversationId,
    sender: 'note',
    staffId: me.staffId,
    body: input.text,
    clientMsgId: `note:${input.clientMessageId}`,
  });
  return { message, duplicate };
}

/** A staff member who can take tickets: active, with the support.handle permission. 400 otherwise. */
async function checkAgent(ctx: Ctx, staffId: string): Promise<void> {
  const s = await getStaff(ctx, staffId).catch(() => null);
  if (!s || s.status !== 'active' || !roleCan(s.role, 'support.handle'))
    throw badRequest('support.bad_assignee', `staff ${staffId} is not an active support agent`, { assigneeId: staffId });
}

/** assignTicket: to a named agent, or to the caller. */
export async function assignTicket(ctx: Ctx, ticketId: string, assigneeId: string | null | undefined): Promise<TicketDto> {
  const me = staffOf(ctx);
  const t = await ticketRow(ctx, ticketId);
  if (t.status !== 'open') throw conflict('support.ticket_closed', 'this ticket is closed');
  if (assigneeId && assigneeId !== me.staffId) await checkAgent(ctx, assigneeId);
  await ctx.db
    .update(supportTickets)
    .set({ assigneeId: assigneeId ?? me.staffId })
    .where(eq(supportTickets.id, ticketId));
  return (await getTicket(ctx, ticketId, Number.MAX_SAFE_INTEGER)).ticket;
}

/** An escalated ticket jumps the queue: above any tier (×20 each) plus order value and anger. */
export const ESCALATION_PRIORITY = 100;
/** Escalation levels (the API's 0–2). */
const LEVEL_NAMES = ['一线客服', '资深客服', '主管'];

/**
 * escalateTicket (升级) to `level` (1 资深客服, 2 主管): to the top of the queue, handed to a named
 * senior agent or back to the queue unassigned, with the reason as an internal note. Naming the
 * level makes it idempotent: a double click or two agents at once raise it once; asking for the
 * level it already has answers it unchanged, a lower one is 409.
 */
export async function escalateTicket(ctx: Ctx, ticketId: string, input: { level: number; reason: string; assigneeId?: string | null }) {
  const me = staffOf(ctx);
  const t = await ticketRow(ctx, ticketId);
  if (t.status !== 'open') throw conflict('support.ticket_closed', 'this ticket is closed');
  if (t.escalationLevel > input.level)
    throw conflict('support.already_escalated', `the ticket is already with a ${LEVEL_NAMES[t.escalationLevel]}`, {
      escalationLevel: t.escalationLevel,
    });
  if (input.assigneeId) await checkAgent(ctx, input.assigneeId);
  const res = await ctx.env.DB.prepare(
    // the bump is counted from the level the row has when it changes, not the one read above
    `UPDATE support_tickets SET priority = priority + ? * (? - escalation_level), escalation_level = ?, escalated_at = ?, assignee_id = ?
     WHERE id = ? AND status = 'open' AND escalation_level < ?`,
  )
    .bind(ESCALATION_PRIORITY, input.level, input.level, ctx.now, input.assigneeId ?? null, ticketId, input.level)
    .run();
  if (res.meta.changes === 1)
    await appendMessage(ctx, {
      conversationId: t.conversationId,
      sender: 'note',
      staffId: me.staffId,
      body: `升级至${LEVEL_NAMES[input.level]}：${input.reason}`,
      clientMsgId: `escalate:${input.level}`,
    });
  const now = await ticketRow(ctx, ticketId);
  if (now.status !== 'open') throw conflict('support.ticket_closed', 'this ticket is closed');
  if (now.escalationLevel > input.level)
    throw conflict('support.already_escalated', `the ticket is already with a ${LEVEL_NAMES[now.escalationLevel]}`, {
      escalationLevel: now.escalationLevel,
    });
  return (await getTicket(ctx, ticketId, Number.MAX_SAFE_INTEGER)).ticket;
}

/** The ticket for a staff action of another domain's flow (compensation, an after-sale): 404 if none. */
export async function ticketForStaff(ctx: Ctx, ticketId: string): Promise<TicketDto> {
  staffOf(ctx);
  const t = await ticketRow(ctx, ticketId);
  return toDto(t, (await conversationRow(ctx, t.conversationId)).orderId);
}

/**
 * Claims the ticket's one compensation for `templateId`: this call holds it when it took the empty
 * slot or the slot already holds the same template (a retry). Another template there: 409.
 */
export async function claimCompensation(ctx: Ctx, ticketId: string, templateId: string): Promise<void> {
  await ctx.env.DB.prepare(`UPDATE support_tickets SET compensation_template_id = ? WHERE id = ? AND compensation_template_id IS NULL`)
    .bind(templateId, ticketId)
    .run();
  const t = await ticketRow(ctx, ticketId);
  if (t.compensationTemplateId !== templateId)
    throw conflict('support.already_compensated', 'this ticket already has its compensation', {
      templateId: t.compensationTemplateId,
      couponId: t.compensationCouponId,
    });
}

/** Records the coupon a claimed compensation issued; or frees the slot when none could be issued. */
export async function settleCompensation(ctx: Ctx, ticketId: string, templateId: string, couponId: string | null): Promise<void> {
  const q =
    couponId === null
      ? ctx.env.DB.prepare(
          `UPDATE support_tickets SET compensation_template_id = NULL WHERE id = ? AND compensation_template_id = ? AND compensation_coupon_id IS NULL`,
        ).bind(ticketId, templateId)
      : ctx.env.DB.prepare(`UPDATE support_tickets SET compensation_coupon_id = ? WHERE id = ? AND compensation_template_id = ?`).bind(
          couponId,
          ticketId,
          templateId,
        );
  await q.run();
}

/** A message from the agent to the shopper that is not typed by them (a coupon issued, an after-sale opened): stored once per key. */
export async function agentNotice(ctx: Ctx, ticketId: string, key: string, body: string) {
  const me = staffOf(ctx);
  const t = await ticketRow(ctx, ticketId);
  return appendMessage(ctx, { conversationId: t.conversationId, sender: 'agent', staffId: me.staffId, body, clientMsgId: `notice:${key}` });
}

/**
 * closeTicket: resolves the ticket and closes its conversation in one guarded batch (the shopper's
 * next question starts a new conversation). Closing a closed ticket answers it unchanged.
 */
export async function closeTicket(ctx: Ctx, ticketId: string): Promise<TicketDto> {
  const me = staffOf(ctx);
  const t = await ticketRow(ctx, ticketId);
  if (t.status === 'open') {
    const d1 = ctx.env.DB;
    try {
      await d1.batch([
        guard(d1, `EXISTS (SELECT 1 FROM support_tickets WHERE id = ? AND status = 'open')`, ticketId),
        d1
          .prepare(`UPDATE support_tickets SET status = 'closed', closed_at = ?, assignee_id = coalesce(assignee_id, ?) WHERE id = ?`)
          .bind(ctx.now, me.staffId, ticketId),
        d1
          .prepare(`UPDATE support_conversations SET status = 'closed', open_key = NULL, closed_at = ?, updated_at = ? WHERE id = ?`)
          .bind(ctx.now, ctx.now, t.conversationId),
      ]);
    } catch (e) {
      // a concurrent close won: the ticket is closed either way
      if (batchFailure(e) !== 'guard') throw e;
    }
  }
  return (await getTicket(ctx, ticketId, Number.MAX_SAFE_INTEGER)).ticket;
}

/**
 * The shopper rates their closed conversation's ticket 1–5, once: the guarded UPDATE only sets an
 * empty rating, so a retry with the same rating is harmless and a different later one is refused.
 */
export async function rateConversation(ctx: Ctx, conversationId: string, rating: number) {
  shopperId(ctx);
  const c = await ownConversation(ctx, conversationId);
  const [t] = await ctx.db
    .select()
    .from(supportTickets)
    .where(eq(supportTickets.conversationId, c.id))
    .orderBy(desc(supportTickets.createdAt), desc(supportTickets.id))
    .limit(1);
  if (!t || t.status !== 'closed') throw conflict('support.not_ratable', 'a conversation can be rated once an agent has closed it');
  const res = await ctx.env.DB.prepare(`UPDATE support_tickets SET rating = ? WHERE id = ? AND rating IS NULL`).bind(rating, t.id).run();
  if (res.meta.changes === 0 && t.rating !== rating)
    throw conflict('support.already_rated', 'this conversation was already rated', { rating: t.rating });
  return toConversationDto(ctx, await conversationRow(ctx, c.id));
}

/**
 * Cron: stamps SLA breaches of open tickets. Each stamp is set only while empty, so a breach is
 * flagged exactly once however often (or concurrently) the cron runs.
 */
export async function flagSlaBreaches(ctx: Ctx): Promise<{ firstResponse: number; resolution: number }> {
  const d1 = ctx.env.DB;
  const [fr, res] = await d1.batch([
    d1
      .prepare(
        `UPDATE support_tickets SET first_response_breached_at = ?
         WHERE status = 'open' AND first_response_at IS NULL AND first_response_breached_at IS NULL AND first_response_due_at < ?`,
      )
      .bind(ctx.now, ctx.now),
    d1
      .prepare(
        `UPDATE support_tickets SET resolution_breached_at = ?
         WHERE status = 'open' AND resolution_breached_at IS NULL AND resolution_due_at < ?`,
      )
      .bind(ctx.now, ctx.now),
  ]);
  return { firstResponse: fr!.meta.changes, resolution: res!.meta.changes };
}
