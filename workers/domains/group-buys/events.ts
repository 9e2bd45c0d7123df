import { z } from 'zod';
import { defineMessage } from '../../shared/events';

/** A finished team and its seats, as the SKU's Durable Object reports it from its outbox. */
const TeamOutcome = z.object({
  teamId: z.string().min(1),
  dealId: z.string().min(1),
  seats: z.array(z.object({ seatId: z.string().min(1), shopperId: z.string().min(1), role: z.enum(['leader', 'member', 'virtual']) })),
});
export type TeamOutcomeData = z.output<typeof TeamOutcome>;

/**
 * Sent by the SkuStock Durable Object (group-buy outbox, one sendBatch per flush), handled by
 * `flows/group-buy-outcome.consumer.ts`. Ids `gbok:<teamId>` / `gbfail:<teamId>`.
 */
/** The team is full: its paid orders may ship. */
export const TeamSucceeded = defineMessage('group_buys.team_succeeded', 'SETTLEMENT', TeamOutcome);
/** The team ran out of time: every paid member is refunded in full. */
export const TeamFailed = defineMessage('group_buys.team_failed', 'SETTLEMENT', TeamOutcome);

export type TeamOutcomeType = typeof TeamSucceeded.type | typeof TeamFailed.type;
