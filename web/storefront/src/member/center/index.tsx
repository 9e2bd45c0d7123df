import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin, isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { formatFen } from '@/lib/format';
import { changeLine, MEMBER_ENTRIES, reviewText, TIER_GLYPH, tierProgress, type TierBrief } from '@/lib/membership';
import { PageState } from '@/components/page-state';
import './index.css';

function TierIcon({ tier, size }: { tier: TierBrief; size: 'big' | 'small' }) {
  if (tier.icon.url) return <Image className={`tier-icon tier-icon--${size}`} src={tier.icon.url} mode="aspectFit" />;
  return (
    <View className={`tier-icon tier-icon--${size}`} style={{ background: tier.icon.color }}>
      <Text className="tier-icon__glyph">{TIER_GLYPH[tier.icon.name]}</Text>
    </View>
  );
}

/** 会员中心: the tier card with progress to the next tier, perks, points and balance, the member features, the tier ladder and history. */
export default function MemberCenterPage() {
  const [signedIn, setSignedIn] = useState(isLoggedIn());
  useEffect(() => onSessionChange(() => setSignedIn(isLoggedIn())), []);
  useEffect(() => {
    if (!signedIn) void ensureLogin().catch(toastError);
  }, [signedIn]);
  const m = useApi(() => api.call('getMembership'), [signedIn], { enabled: signedIn, refreshOnShow: true });
  const [openTier, setOpenTier] = useState<string | null>(null);

  const d = m.data;
  if (!d) return <PageState loading={m.loading || !signedIn} error={m.error} onRetry={() => void m.reload()} />;
  const progress = tierProgress(d);
  const review = reviewText(d);
  const color = d.tier?.icon.color ?? '#8c8c8c';
  const openUrl = (url: string) => void Taro.navigateTo({ url }).catch(toastError);
  const shownTier = d.tiers.find((t) => t.id === (openTier ?? d.tier?.id)) ?? null;

  return (
    <View className="member">
      <View className="member__card" style={{ background: `linear-gradient(135deg, ${color}, #2b2b2b)` }} data-testid="member-tier-card">
        <View className="member__card-top">
          {d.tier && <TierIcon tier={d.tier} size="big" />}
          <View className="member__card-who">
            <Text className="member__tier-name" data-testid="member-tier-name">
              {d.tier?.name ?? '会员'}
            </Text>
            <Text className="member__growth" data-testid="member-growth">
              成长值 {d.growth}
            </Text>
          </View>
          <Text className="member__edit" data-testid="member-edit-profile" onClick={() => void go('memberProfile')}>
            编辑资料 ›
          </Text>
        </View>
        <View className="member__bar">
          <View className="member__bar-fill" style={{ width: `${progress.percent}%` }} />
        </View>
        <Text className="member__progress" data-testid="member-progress">
          {progress.text}
        </Text>
        {review && <Text className="member__review">{review}</Text>}
      </View>

      <View className="member__assets">
        <View className="member__asset" data-testid="member-points" onClick={() => openUrl(MEMBER_ENTRIES[0].url)}>
          <Text className="member__asset-num">{d.points}</Text>
          <Text className="member__asset-label">积分</Text>
        </View>
        <View className="member__asset" data-testid="member-balance" onClick={() => void go('memberWallet')}>
          <Text className="member__asset-num">{formatFen(d.balance)}</Text>
          <Text className="member__asset-label">余额</Text>
        </View>
        <View className="member__asset">
          <Text className="member__asset-num">{d.totalGrowth}</Text>
          <Text className="member__asset-label">累计成长值</Text>
        </View>
      </View>

      <View className="member__section">
        <Text className="member__section-title">我的权益</Text>
        {d.perks.length === 0 ? (
          <Text className="member__empty">升级到更高等级即可解锁会员折扣、包邮、多倍积分和生日礼</Text>
        ) : (
          <View className="member__perks" data-testid="member-perks">
            {d.perks.map((p) => (
              <View key={p.key} className="member__perk">
                <Text className="member__perk-title">{p.title}</Text>
                <Text className="member__perk-desc">{p.description}</Text>
              </View>
            ))}
          </View>
        )}
      </View>

      <View className="member__section">
        <View className="member__entries">
          {MEMBER_ENTRIES.map((e) => (
            <View key={e.key} className="member__entry" data-testid={`member-entry-${e.key}`} onClick={() => openUrl(e.url)}>
              <View className="member__entry-icon">
                <Text>{e.icon}</Text>
              </View>
              <Text className="member__entry-text">{e.text}</Text>
            </View>
          ))}
        </View>
      </View>

      {d.tiers.length > 0 && (
        <View className="member__section" data-testid="member-ladder">
          <Text className="member__section-title">等级权益</Text>
          <View className="member__ladder">
            {d.tiers.map((t) => (
              <View
                key={t.id}
                className={`member__rung${shownTier?.id === t.id ? ' member__rung--on' : ''}`}
                onClick={() => setOpenTier(t.id)}
              >
                <TierIcon tier={t} size="small" />
                <Text className="member__rung-name">{t.name}</Text>
                <Text className="member__rung-threshold">{t.threshold}</Text>
              </View>
            ))}
          </View>
          {shownTier && (
            <View className="member__rung-perks">
              {shownTier.perks.length === 0 ? (
                <Text className="member__empty">{shownTier.name}：基础会员服务</Text>
              ) : (
                shownTier.perks.map((p) => (
                  <Text key={p.key} className="member__rung-perk">
                    · {p.title}：{p.description}
                  </Text>
                ))
              )}
            </View>
          )}
        </View>
      )}

      <View className="member__section" data-testid="member-history">
        <Text className="member__section-title">等级变化</Text>
        {d.recentChanges.length === 0 ? (
          <Text className="member__empty">订单完成（售后期结束）后获得成长值，达到门槛立即升级</Text>
        ) : (
          d.recentChanges.map((c) => {
            const line = changeLine(c);
            return (
              <View key={c.id} className="member__change">
                <Text className={`member__change-text member__change-text--${line.tone}`}>{line.text}</Text>
                <Text className="member__change-date">{line.date}</Text>
              </View>
            );
          })
        )}
      </View>
    </View>
  );
}
