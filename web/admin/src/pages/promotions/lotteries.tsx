import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Drawer, Table } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, formatFen, showError, useCursorList } from '../../ui';
import { LotteryFormModal } from './lottery-form';

type Lottery = Schemas['LotterySummary'];
export default function LotteriesPage() {
  const { tr, t } = useI18n();
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/lotteries', { params: { query: { limit: 20, cursor } } })),
    [],
  );
  const list = useCursorList<Lottery>(fetchPage);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div data-testid="lotteries-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="lottery-new">
            {tr('新建抽奖', 'New lottery')}
          </Button>
        }
      >
        {t('nav.lotteries')}
      </PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Lottery>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name', render: (v: string, l) => <a onClick={() => setOpen(l.id)}>{v}</a> },
          { title: tr('每日免费次数', 'Free / day'), dataIndex: 'freeDrawsPerDay' },
          { title: tr('积分/次', 'Points / draw'), dataIndex: 'pointsPerDraw' },
          { title: tr('预算', 'Budget'), render: (_, l) => `${formatFen(l.budgetUsed)} / ${formatFen(l.budget)}` },
          { title: tr('时间', 'Runs'), render: (_, l) => `${fmtTime(l.startsAt)} ~ ${fmtTime(l.endsAt)}` },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <CodeTag group="promoState" code={s} /> },
        ]}
      />
      <Pager list={list} />
      {open && <LotteryDrawer id={open} onClose={() => setOpen(null)} />}
      <LotteryFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={() => {
          setCreating(false);
          void list.reload();
        }}
      />
    </div>
  );
}

function LotteryDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { tr, label } = useI18n();
  const [lottery, setLottery] = useState<unknown>(null);
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      call(api.GET('/admin/v1/lotteries/{lotteryId}/draws', { params: { path: { lotteryId: id }, query: { limit: 20, cursor } } })),
    [id],
  );
  const draws = useCursorList<Schemas['LotteryDrawAdmin']>(fetchPage);
  useEffect(() => {
    call(api.GET('/admin/v1/lotteries/{lotteryId}', { params: { path: { lotteryId: id } } }))
      .then(setLottery)
      .catch(showError);
  }, [id]);
  const ship = async (d: Schemas['LotteryDrawAdmin']) => {
    const note = window.prompt(tr('物流信息（快递公司 + 单号）', 'Carrier and tracking no.')) ?? '';
    try {
      await call(api.POST('/admin/v1/lottery-draws/{drawId}/ship', { params: { path: { drawId: d.id } }, body: { note } }));
      void draws.reload();
    } catch (e) {
      showError(e);
    }
  };
  const l = lottery as {
    name?: string;
    prizes?: { id: string; name: string; kind: string; weight: number; stock: number | null; awarded?: number }[];
  } | null;
  return (
    <Drawer open width={760} title={l?.name ?? tr('抽奖', 'Lottery')} onClose={onClose}>
      <h4>{tr('奖品', 'Prizes')}</h4>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={l?.prizes ?? []}
        columns={[
          { title: tr('奖品', 'Prize'), dataIndex: 'name' },
          { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (k: string) => label('prizeKind', k) },
          { title: tr('权重', 'Weight'), dataIndex: 'weight' },
          { title: tr('库存', 'Stock'), dataIndex: 'stock' },
        ]}
      />
      <h4 style={{ marginTop: 16 }}>{tr('抽奖记录', 'Draws')}</h4>
      <Table<Schemas['LotteryDrawAdmin']>
        size="small"
        rowKey="id"
        loading={draws.loading}
        pagination={false}
        dataSource={draws.items}
        columns={[
          { title: tr('用户', 'Shopper'), dataIndex: 'userId' },
          { title: tr('奖品', 'Prize'), dataIndex: 'prizeName' },
          { title: tr('履约', 'Fulfilment'), dataIndex: 'fulfilment', render: (f: string) => <CodeTag group="prizeFulfilment" code={f} /> },
          { title: tr('时间', 'At'), dataIndex: 'createdAt', render: fmtTime },
          {
            title: '',
            render: (_, d) =>
              d.fulfilment === 'to_ship' && (
                <Button size="small" onClick={() => void ship(d)} data-testid={`prize-ship-${d.id}`}>
                  {tr('标记已发货', 'Mark shipped')}
                </Button>
              ),
          },
        ]}
      />
      <Pager list={draws} />
    </Drawer>
  );
}
