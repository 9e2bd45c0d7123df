import { View, Text } from '@tarojs/components';
import { teamPercent, teamProgressText, teamSlots, type GroupTeam } from '@/lib/promo-group';
import './team-progress.css';

type TeamLike = Pick<GroupTeam, 'size' | 'paidCount' | 'status'>;

/** The team's bar (paid members of its size) and "还差 N 人成团". */
export function TeamProgress({ team, testId = 'team-progress' }: { team: TeamLike; testId?: string }) {
  const done = team.status === 'succeeded';
  return (
    <View className={`team-progress team-progress--${team.status}`} data-testid={testId}>
      <View className="team-progress__bar">
        <View className="team-progress__fill" style={{ width: `${done ? 100 : teamPercent(team)}%` }} />
      </View>
      <View className="team-progress__row">
        <Text className="team-progress__text" data-testid="team-missing">
          {teamProgressText(team)}
        </Text>
        <Text className="team-progress__count">
          {Math.min(team.paidCount, team.size)}/{team.size} 人
        </Text>
      </View>
    </View>
  );
}

/** The team's places: members (团长 first) with their avatars and masked names, then "?" for the empty ones. */
export function TeamMembers({ team }: { team: Pick<GroupTeam, 'size' | 'members'> }) {
  return (
    <View className="team-members">
      {teamSlots(team).map((s, i) => (
        <View
          key={i}
          className={`team-members__slot${s.filled ? '' : ' team-members__slot--empty'}`}
          data-testid="team-member"
          data-filled={s.filled ? '1' : '0'}
        >
          <View className={`team-members__avatar${s.you ? ' team-members__avatar--you' : ''}`}>
            <Text className="team-members__initial">{s.filled ? ([...s.name][0] ?? '拼') : '?'}</Text>
            {s.leader && <Text className="team-members__badge">团长</Text>}
          </View>
          <Text className="team-members__name">{s.filled ? (s.you ? '我' : s.name) : '待加入'}</Text>
          {s.filled && !s.paid && <Text className="team-members__unpaid">待支付</Text>}
        </View>
      ))}
    </View>
  );
}
