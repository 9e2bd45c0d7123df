import type { Ctx } from '../shared/context';
import { shopperId } from '../shared/context';
import { conflict } from '../shared/errors';
import { getOrderRow, getVisibleOrder } from '../domains/orders/orders.service';
import { supportPriorityOf } from '../domains/members/tiers/tiers.service';
import {
  appendMessage,
  openConversationFor,
  ownConversation,
  repliesTo,
  toConversationDto,
} from '../domains/support/conversations.service';
import type { MessageDto, SendMessageInput, StartConversationInput } from '../domains/support/dto';
import { isAngry, ticketPriority } from '../domains/support/intents';
import { openTicket } from '../domains/support/tickets.service';
import { CONVERSATION_CATEGORIES, screen } from '../domains/screening/screen.service';
import { autoAnswer } from './support-answers';

const GREETING = '您好，我是智能客服，7×24 小时在线。可以问我物流、退货、优惠券和积分，或输入「转人工」联系人工客服。';
const HANDOFF = '这个问题我暂时答不好，已为您转接人工客服，请稍候，客服会在这里回复您。';

/**
 * startSupportConversation: the shopper's open conversation (made once, however many calls race),
 * optionally about one of their orders. A new conversation opens with the bot's greeting.
 */
export async function startSupportConversation(ctx: Ctx, input: StartConversationInput) {
  const userId = shopperId(ctx);
  // someone else's order is 404 here, as everywhere
  if (input.orderId) await getVisibleOrder(ctx, input.orderId);
  const { row, created } = await openConversationFor(ctx, userId, input.orderId ?? null);
  // keyed by the conversation, so a racing or retried start greets once
  await appendMessage(ctx, { conversationId: row.id, sender: 'bot', body: GREETING, clientMsgId: 'bot:greeting', source: 'greeting' });
  return { conversation: await toConversationDto(ctx, row), created };
}

/** The priority of a ticket opened from `text`: member tier, the conversation's order value, angry words. */
async function priorityFor(ctx: Ctx, userId: string, orderId: string | null, text: string): Promise<number> {
  const [tierPriority, orderValue] = await Promise.all([
    supportPriorityOf(ctx, userId),
    orderId ? getOrderRow(ctx, orderId).then((o) => o.payableTotal) : Promise.resolve(0),
  ]);
  return ticketPriority({ tierPriority, orderValue, angry: isAngry(text) });
}

/**
 * sendSupportMessage: stores the shopper's message once per clientMessageId and, while the bot has
 * the conversation, answers it — or hands it to a person (a ticket) when unsure or asked. A
 * retried send stores nothing new and returns the first answer.
 */
export async function sendSupportMessage(ctx: Ctx, conversationId: string, input: SendMessageInput) {
  const userId = shopperId(ctx);
  const c = await ownConversation(ctx, conversationId);
  if (c.status !== 'open') throw conflict('support.conversation_closed', 'this conversation is closed; start a new one');
  // Screened for the agents' eyes (加微信 diversion, abuse): stored with the message, never refused —
  // a shopper in trouble must still reach us.
  const screened = await screen(ctx, input.text, { categories: CONVERSATION_CATEGORIES });
  const { message, duplicate } = await appendMessage(ctx, {
    conversationId: c.id,
    sender: 'shopper',
    body: input.text,
    clientMsgId: `shopper:${input.clientMessageId}`,
    screen: screened.verdict === 'pass' ? null : { verdict: screened.verdict, matches: screened.matches },
  });
  let replies: MessageDto[] = await repliesTo(ctx, c.id, message.id);
  // An agent has it: nothing automatic (their message is in the ticket's conversation). A retry whose
  // first attempt failed before the reply was stored answers now.
  if (c.mode === 'bot' && replies.length === 0) {
    const answer = await autoAnswer(ctx, userId, input.text);
    if (answer.handoff) {
      await openTicket(ctx, c.id, {
        reason: answer.source === 'handoff:requested' ? 'requested' : 'low_confidence',
        priority: await priorityFor(ctx, userId, c.orderId, input.text),
        subject: input.text,
      });
    }
    const reply = await appendMessage(ctx, {
      conversationId: c.id,
      sender: 'bot',
      body: answer.text ?? HANDOFF,
      clientMsgId: `bot:${message.id}`,
      source: answer.source,
    });
    replies = [reply.message];
  }
  const fresh = await ownConversation(ctx, c.id);
  return { message, replies, conversation: await toConversationDto(ctx, fresh), duplicate };
}
