import { View, Text, Image, Button } from '@tarojs/components';
import { Price } from '@/components/price';
import { Countdown } from '@/components/countdown';
import { phaseOf } from '@/lib/countdown';
import { missing, type GroupDeal, type GroupTeam } from '@/lib/promo-group';

interface Props {
  deal: GroupDeal;
  /** open teams of other shoppers this shopper can join */
  others: GroupTeam[];
  /** teams this shopper is in */
  mine: GroupTeam[];
  offset: number;
  now: number;
  image?: string;
  highlight: boolean;
  busy: boolean;
  locked: boolean;
  onOpenTeam: (deal: GroupDeal) => void;
  onTeam: (team: GroupTeam) => void;
  onProduct: (deal: GroupDeal) => void;
  onBoundary: () => void;
}

const SHOWN_TEAMS = 3;

/** 1440 → "24小时成团", 30 → "30分钟成团". */
const limitText = (min: number) => (min % 60 === 0 ? `${min / 60}小时成团` : `${min}分钟成团`);

/** One deal: picture, 拼团价 vs 单买价, N人团, the countdown, the open teams to join and 发起拼团. */
export function GroupDealCard({
  deal,
  others,
  mine,
  offset,
  now,
  image,
  highlight,
  busy,
  locked,
  onOpenTeam,
  onTeam,
  onProduct,
  onBoundary,
}: Props) {
  const { phase } = phaseOf(deal, now);
  const soldOut = deal.remaining !== null && deal.remaining <= 0;
  const sold = deal.remaining === null ? null : Math.max(0, deal.allocated - deal.remaining);
  const leaderPrice = deal.leaderPrice !== null && deal.leaderPrice < deal.groupPrice ? deal.leaderPrice : null;
  const canOpen = phase === 'live' && !soldOut;
  const openText = busy ? '提交中…' : phase === 'upcoming' ? '即将开团' : phase === 'ended' ? '已结束' : soldOut ? '已抢光' : '发起拼团';

  return (
    <View
      id={`deal-${deal.id}`}
      className={`group-deal${highlight ? ' group-deal--highlight' : ''}`}
      data-testid="group-deal"
      data-deal-id={deal.id}
    >
      <View className="group-deal__main">
        <View className="group-deal__pic" onClick={() => onProduct(deal)}>
          {image ? (
            <Image className="group-deal__img" src={image} mode="aspectFill" lazyLoad />
          ) : (
            <View className="group-deal__img group-deal__img--none">拼团</View>
          )}
          <Text className="group-deal__size">{deal.groupSize}人团</Text>
        </View>
        <View className="group-deal__body">
          <Text className="group-deal__title" onClick={() => onProduct(deal)}>
            {deal.title}
          </Text>
          <View className="group-deal__tags">
            <Text className="group-deal__tag">{limitText(deal.timeLimitMinutes)}</Text>
            {leaderPrice !== null && <Text className="group-deal__tag group-deal__tag--gold">团长优惠</Text>}
            {sold !== null && sold > 0 && <Text className="group-deal__sold">已拼{sold}件</Text>}
          </View>
          <View className="group-deal__prices">
            <Text className="group-deal__price-label">拼团价</Text>
            <Price fen={deal.groupPrice} size="lg" testId="group-price" />
          </View>
          <View className="group-deal__single">
            <Text className="group-deal__single-label">单买价</Text>
            <Price fen={deal.originalPrice} strike testId="group-single-price" />
            {leaderPrice !== null && (
              <Text className="group-deal__leader">
                团长价 <Price fen={leaderPrice} size="sm" />
              </Text>
            )}
          </View>
          <View className="group-deal__timer">
            {phase === 'ended' ? (
              <Text className="group-deal__timer-label">活动已结束</Text>
            ) : (
              <>
                <Text className="group-deal__timer-label">{phase === 'upcoming' ? '距开团' : '距结束'}</Text>
                <Countdown
                  className="group-deal__countdown"
                  target={phase === 'upcoming' ? deal.startsAt : deal.endsAt}
                  offset={offset}
                  onEnd={onBoundary}
                  testId="group-deal-countdown"
                />
              </>
            )}
          </View>
        </View>
      </View>

      {mine.length > 0 && (
        <View className="group-deal__teams">
          {mine.map((t) => (
            <View key={t.id} className="group-team group-team--mine" data-testid="group-my-team" onClick={() => onTeam(t)}>
              <Text className="group-team__mine-label">我的团</Text>
              <Text className="group-team__text">
                {t.status === 'forming' ? (
                  '待支付后开团'
                ) : (
                  <>
                    还差<Text className="group-team__missing">{missing(t)}</Text>人成团
                  </>
                )}
              </Text>
              <Button className="group-team__btn group-team__btn--ghost" size="mini">
                {t.status === 'forming' ? '查看' : '邀请好友'}
              </Button>
            </View>
          ))}
        </View>
      )}

      {others.length > 0 && phase === 'live' && (
        <View className="group-deal__teams">
          <Text className="group-deal__teams-head">{others.length}人正在开团，可直接参与</Text>
          {others.slice(0, SHOWN_TEAMS).map((t) => {
            const leader = t.members.find((m) => m.role === 'leader') ?? t.members[0];
            return (
              <View key={t.id} className="group-team" data-testid="group-team" data-team-id={t.id}>
                <View className="group-team__avatar">
                  <Text>{leader ? ([...leader.name][0] ?? '拼') : '拼'}</Text>
                </View>
                <View className="group-team__info">
                  <Text className="group-team__name">{leader?.name ?? '拼团用户'}</Text>
                  <View className="group-team__line">
                    <Text className="group-team__text" data-testid="group-team-missing">
                      还差<Text className="group-team__missing">{missing(t)}</Text>人拼成
                    </Text>
                    {t.expiresAt && (
                      <Text className="group-team__left">
                        剩余{' '}
                        <Countdown
                          className="group-team__countdown"
                          target={t.expiresAt}
                          offset={offset}
                          onEnd={onBoundary}
                          testId="group-team-countdown"
                        />
                      </Text>
                    )}
                  </View>
                </View>
                <Button className="group-team__btn" size="mini" data-testid="group-join" onClick={() => onTeam(t)}>
                  去拼单
                </Button>
              </View>
            );
          })}
        </View>
      )}

      <View className="group-deal__foot">
        <Button className="group-deal__solo" onClick={() => onProduct(deal)}>
          <Price fen={deal.originalPrice} size="sm" />
          <Text className="group-deal__btn-text">单独购买</Text>
        </Button>
        <Button
          className={`group-deal__open${canOpen ? '' : ' group-deal__open--off'}`}
          data-testid="group-open"
          disabled={!canOpen || busy || locked || undefined}
          loading={busy}
          onClick={() => onOpenTeam(deal)}
        >
          <Price fen={leaderPrice ?? deal.groupPrice} size="sm" />
          <Text className="group-deal__btn-text">{openText}</Text>
        </Button>
      </View>
    </View>
  );
}
