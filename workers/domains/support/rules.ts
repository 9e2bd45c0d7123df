// The live-chat protocol the SupportChat Durable Object speaks: state-free rules, so the object
// imports nothing but this.

/** Who holds a live socket of a conversation (the DO tags sockets with it). */
export const LIVE_ROLES = ['shopper', 'agent'] as const;
export type LiveRole = (typeof LIVE_ROLES)[number];

/** What a live frame carries: a message as the API returns it (SupportMessage). */
export interface LiveMessage {
  id: string;
  conversationId: string;
  seq: number;
  sender: string;
  body: string;
  createdAt: string;
}

/** Who hears a message live: an internal note only the agents, everything else everyone. */
export const audienceOf = (message: LiveMessage): LiveRole[] => (message.sender === 'note' ? ['agent'] : ['shopper', 'agent']);

/** The one frame the server sends on a live socket: a message just stored in D1. */
export const liveFrame = (message: LiveMessage) => JSON.stringify({ type: 'message', message });
