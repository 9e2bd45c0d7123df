import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Select, Space, Table } from 'antd';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, formatFen, useCursorList } from '../ui';

type Merchant = Schemas['Merchant'];

export default function LedgerPage({ merchantId: fixed }: { merchantId?: string | null }) {
  const { tr, t } = useI18n();
  const [merchantId, setMerchantId] = useState<string>(fixed ?? '');
  const [query, setQuery] = useState<string>(fixed ?? '');
  const [balance, setBalance] = useState<number | null>(null);
  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      if (!query) return { items: [], nextCursor: null };
      const r = await call(
        api.GET('/admin/v1/merchants/{merchantId}/ledger', { params: { path: { merchantId: query }, query: { limit: 50, cursor } } }),
      );
      setBalance(r.balance);
      return r;
    },
    [query],
  );
  const list = useCursorList(fetchPage);
  const [merchants, setMerchants] = useState<Merchant[]>([]);
  useEffect(() => {
    if (fixed) return;
    call(api.GET('/admin/v1/merchants', { params: { query: { limit: 100 } } }))
      .then((r) => setMerchants(r.items))
      .catch(() => setMerchants([]));
  }, [fixed]);
  return (
    <div data-testid="ledger-page">
      <PageTitle
        extra={
          !fixed && (
            <Space.Compact>
              <Select
                showSearch
                allowClear
                optionFilterProp="label"
                style={{ width: 320 }}
                placeholder={tr('选择商家', 'Choose a merchant')}
                value={merchantId || undefined}
                onChange={(v?: string) => {
                  setMerchantId(v ?? '');
                  setQuery(v ?? '');
                }}
                data-testid="ledger-merchant"
                options={merchants.map((m) => ({ value: m.id, label: `${m.name} (${m.id})` }))}
              />
              <Button onClick={() => void list.reload()}>{t('refresh')}</Button>
            </Space.Compact>
          )
        }
      >
        {t('nav.ledger')}
      </PageTitle>
      {balance !== null && (
        <Alert
          style={{ marginBottom: 12 }}
          type="info"
          message={
            <span>
              {tr('结算余额', 'Balance')}: <b data-testid="ledger-balance">{formatFen(balance)}</b>
            </span>
          }
        />
      )}
      {list.error ? <Alert type="error" message={errText(list.error)} style={{ marginBottom: 12 }} /> : null}
      <Table
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: tr('时间', 'At'), dataIndex: 'createdAt', render: fmtTime },
          { title: tr('订单', 'Order'), dataIndex: 'orderId' },
          { title: tr('类型', 'Type'), dataIndex: 'type', render: (v: string) => <CodeTag group="ledgerType" code={v} /> },
          {
            title: tr('金额', 'Amount'),
            dataIndex: 'amount',
            render: (v: number) => <span style={{ color: v < 0 ? '#cf1322' : '#389e0d' }}>{formatFen(v)}</span>,
          },
        ]}
      />
      <Pager list={list} />
    </div>
  );
}
