/** What the group-buy and team pages show for a team. Pure: no Taro. */
import type { OperationResult } from '@edgemall/client/operation-client';
import { toMs } from './countdown';

export type GroupTeam = OperationResult<'getGroupBuyTeam'>;
export type GroupDeal = OperationResult<'listGroupBuys'>['items'][number];

export const TEAM_STATUS_TEXT: Record<GroupTeam['status'], string> = {
  forming: '待开团',
  open: '拼团中',
  succeeded: '拼团成功',
  failed: '拼团失败·已退款',
  void: '已失效',
};

export interface TeamSlot {
  filled: boolean;
  name: string;
  leader: boolean;
  paid: boolean;
  you: boolean;
}

/** One slot per place in the team: members first (leader first), then empty places. */
export function teamSlots(team: Pick<GroupTeam, 'size' | 'members'>): TeamSlot[] {
  const members = [...team.members].sort((a, b) => (a.role === 'leader' ? -1 : 0) - (b.role === 'leader' ? -1 : 0));
  const slots: TeamSlot[] = members
    .slice(0, team.size)
    .map((m) => ({ filled: true, name: m.name, leader: m.role === 'leader', paid: m.paid, you: m.you }));
  while (slots.length < team.size) slots.push({ filled: false, name: '', leader: false, paid: false, you: false });
  return slots;
}

/** People still missing before the team succeeds (paid members count). */
export function missing(team: Pick<GroupTeam, 'size' | 'paidCount'>): number {
  return Math.max(0, team.size - team.paidCount);
}

/** The team's progress, 0–100. */
export function teamPercent(team: Pick<GroupTeam, 'size' | 'paidCount'>): number {
  if (team.size <= 0) return 0;
  return Math.min(100, Math.floor((team.paidCount * 100) / team.size));
}

export type JoinBlock = 'member' | 'full' | 'ended' | 'not_open' | null;

/** Why the shopper cannot join (null: they can), at server time `now`. */
export function joinBlock(team: Pick<GroupTeam, 'status' | 'seatsLeft' | 'expiresAt' | 'members'>, now: number): JoinBlock {
  if (team.members.some((m) => m.you)) return 'member';
  if (team.status === 'succeeded' || team.status === 'failed' || team.status === 'void') return 'ended';
  if (team.status !== 'open') return 'not_open';
  if (team.expiresAt && toMs(team.expiresAt) <= now) return 'ended';
  if (team.seatsLeft <= 0) return 'full';
  return null;
}

export const JOIN_BLOCK_TEXT: Record<Exclude<JoinBlock, null>, string> = {
  member: '你已在团中',
  full: '已满员',
  ended: '拼团已结束',
  not_open: '团长支付后可参团',
};

/** The storefront's own team page for a team id (the share card's path names an older route). */
export function teamPagePath(teamId: string): string {
  return `/pages/team/index?id=${encodeURIComponent(teamId)}`;
}

/** The progress line: "还差 N 人成团" while forming or open, else the team's outcome. */
export function teamProgressText(team: Pick<GroupTeam, 'size' | 'paidCount' | 'status'>): string {
  if (team.status === 'open' || team.status === 'forming') {
    const n = missing(team);
    return n > 0 ? `还差 ${n} 人成团` : '即将成团';
  }
  return TEAM_STATUS_TEXT[team.status];
}
