import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../workers/shared/env';
import { LIVE_ROLES, audienceOf, liveFrame, type LiveMessage, type LiveRole } from '../workers/domains/support/rules';

/**
 * One per support conversation: holds the live WebSockets of the shopper and the agents and
 * relays each stored message to them. It keeps no messages — D1 is the source of truth — so an
 * evicted or restarted object loses nothing: a client reconnects and reads from its last seq.
 *
 * Sockets are accepted through the Hibernation API (ctx.acceptWebSocket), so an idle chat is
 * evicted from memory while its sockets stay open; pings are answered by the runtime without
 * waking the object.
 */
export class SupportChat extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** A WebSocket upgrade; the Worker has authorised the caller and says who they are in ?role=. */
  override async fetch(req: Request): Promise<Response> {
    if (req.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('expected a WebSocket upgrade', { status: 426 });
    const role = new URL(req.url).searchParams.get('role') as LiveRole | null;
    if (!role || !LIVE_ROLES.includes(role)) return new Response('unknown role', { status: 400 });
    const pair = new WebSocketPair();
    // The tag lets a broadcast pick the shopper's or the agents' sockets without waking per socket state.
    this.ctx.acceptWebSocket(pair[1], [role]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** Sends a stored message to the connected sockets it is for (see audienceOf); answers how many it reached. */
  broadcast(message: LiveMessage): number {
    const frame = liveFrame(message);
    let sent = 0;
    for (const ws of audienceOf(message).flatMap((role) => this.ctx.getWebSockets(role))) {
      try {
        ws.send(frame);
        sent++;
      } catch {
        // a socket closing right now: its client reconnects and polls from its last seq
      }
    }
    return sent;
  }

  /** Sockets connected now, by role (tests and the console's presence). */
  connected(): Record<LiveRole, number> {
    return { shopper: this.ctx.getWebSockets('shopper').length, agent: this.ctx.getWebSockets('agent').length };
  }

  /** Messages are sent through the HTTP API (stored in D1 first); a socket only listens. */
  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    if (data !== 'ping') ws.send(JSON.stringify({ type: 'error', message: 'send messages with sendSupportMessage / replyTicket' }));
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    // 1005/1006 are reserved and may not be sent back
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
  }
}
