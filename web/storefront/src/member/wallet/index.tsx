import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { api } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { fenToYuanString } from '@/lib/format';
import { LedgerList, LedgerTabs, type LedgerType } from '@/components/ledger-list';
import './index.css';

const PAGE = 20;

/** 余额明细: the stored balance and its entries (全部 / 收入 / 支出). Balance pays part of an order at checkout. */
export default function WalletPage() {
  const [type, setType] = useState<LedgerType>('all');
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then((ok) => setReady(ok));
  }, []);
  const page = useApi(() => api.call('listWalletLedger', { query: { type, limit: PAGE } }), [type], {
    refreshOnShow: true,
    enabled: ready,
  });
  const d = page.data;
  return (
    <View className="points">
      <View className="points__head">
        <Text className="points__label">账户余额（元）</Text>
        <Text className="points__balance" data-testid="wallet-balance">
          {d ? fenToYuanString(d.balance) : '--'}
        </Text>
        <Text className="points__sub">下单时可用余额抵扣，退款时原路退回余额</Text>
      </View>
      <View className="points__list">
        <LedgerTabs value={type} onChange={setType} testId="wallet-tab" />
        <LedgerList
          first={d}
          loading={page.loading || !ready}
          error={page.error}
          onRetry={() => void page.reload()}
          loadMore={(cursor) => api.call('listWalletLedger', { query: { type, limit: PAGE, cursor } })}
          kind="balance"
          emptyText="还没有余额记录"
          testId="wallet-ledger"
        />
      </View>
    </View>
  );
}
