import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { api } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { LedgerList, LedgerTabs, type LedgerType } from '@/components/ledger-list';
import { expiringText, rateText } from '@/lib/points';
import './index.css';

const PAGE = 20;

/** 积分明细: the balance, points about to expire, and the ledger (全部 / 获得 / 使用). */
export default function PointsPage() {
  const [type, setType] = useState<LedgerType>('all');
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then((ok) => setReady(ok));
  }, []);
  const page = useApi(() => api.call('listPointsLedger', { query: { type, limit: PAGE } }), [type], {
    refreshOnShow: true,
    enabled: ready,
  });
  const d = page.data;
  const expiring = expiringText(d?.expiring);
  return (
    <View className="points">
      <View className="points__head">
        <Text className="points__label">当前积分</Text>
        <Text className="points__balance" data-testid="points-balance">
          {d ? d.balance : '--'}
        </Text>
        {d && (
          <Text className="points__sub">
            {d.rules.enabled ? `下单可抵现 · ${rateText(d.rules.pointsPerYuan)}` : '积分暂不可抵现'}
            {d.rules.expiryMonths > 0 ? ` · 积分有效期${d.rules.expiryMonths}个月（按获得月份计算）` : ''}
          </Text>
        )}
      </View>
      {expiring && (
        <View className="points__expiring" data-testid="points-expiring">
          <Text>{expiring}</Text>
        </View>
      )}
      <View className="points__list">
        <LedgerTabs value={type} onChange={setType} testId="points-tab" />
        <LedgerList
          first={d}
          loading={page.loading || !ready}
          error={page.error}
          onRetry={() => void page.reload()}
          loadMore={(cursor) => api.call('listPointsLedger', { query: { type, limit: PAGE, cursor } })}
          kind="points"
          emptyText={type === 'spend' ? '还没有使用过积分' : type === 'earn' ? '还没有获得积分' : '还没有积分记录'}
          testId="points-ledger"
        />
      </View>
    </View>
  );
}
