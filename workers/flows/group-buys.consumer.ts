import { on, type MessageHandler } from '../shared/events';
import { TeamFailed, TeamSucceeded } from '../domains/group-buys/events';
import { completeTeam, failTeam } from './group-buy-outcome';

/** `group_buys.*`: what the SkuStock DO's group-buy outbox sends when a team is final (orders ship or are refunded). */
export const groupBuysConsumer: MessageHandler[] = [
  on(TeamSucceeded, async (ctx, data) => {
    ctx.log.info('group-buy team succeeded', { teamId: data.teamId, released: await completeTeam(ctx, data.teamId) });
  }),
  on(TeamFailed, async (ctx, data) => {
    ctx.log.info('group-buy team failed', { teamId: data.teamId, refunded: await failTeam(ctx, data) });
  }),
];
