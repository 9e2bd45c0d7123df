import type { SupportChat } from '../../../durable-objects/support-chat';
import type { Ctx } from '../../shared/context';
import type { Env } from '../../shared/env';
import type { MessageDto } from './dto';
import type { LiveRole } from './rules';

const chatOf = (env: Env, conversationId: string) =>
  env.SUPPORT_CHAT.get(env.SUPPORT_CHAT.idFromName(conversationId)) as unknown as DurableObjectStub<SupportChat>;

/**
 * Relays a stored message to the conversation's live sockets. The message is already in D1, so a
 * failed relay only delays it until the client's next poll: it is logged, not thrown.
 */
export async function broadcastMessage(ctx: Ctx, message: MessageDto): Promise<void> {
  try {
    await chatOf(ctx.env, message.conversationId).broadcast(message);
  } catch (e) {
    ctx.log.warn('support live relay failed', { conversationId: message.conversationId, err: e instanceof Error ? e.message : String(e) });
  }
}

/** Hands an authorised WebSocket upgrade to the conversation's object. */
export function connectLive(env: Env, conversationId: string, role: LiveRole, req: Request): Promise<Response> {
  const url = new URL(req.url);
  url.search = `?role=${role}`;
  return chatOf(env, conversationId).fetch(new Request(url, req));
}
