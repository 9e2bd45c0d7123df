import { useCallback, useState } from 'react';
import { Alert, Button, Table } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, formatFen, showError, useCursorList } from '../../ui';
import { CampaignDrawer, CampaignFormModal } from './campaign-form';

type Campaign = Omit<Schemas['Campaign'], 'popup'>;
export default function CampaignsPage() {
  const { tr, t } = useI18n();
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/campaigns', { params: { query: { limit: 20, cursor } } })),
    [],
  );
  const list = useCursorList<Campaign>(fetchPage);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const toggle = async (c: Campaign) => {
    try {
      await call(
        api.PATCH('/admin/v1/campaigns/{campaignId}', {
          params: { path: { campaignId: c.id } },
          body: { status: c.status === 'active' ? 'disabled' : 'active' },
        }),
      );
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="campaigns-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="campaign-new">
            {tr('新建活动', 'New campaign')}
          </Button>
        }
      >
        {t('nav.campaigns')}
      </PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Campaign>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name', render: (v: string, c) => <a onClick={() => setOpen(c.id)}>{v}</a> },
          { title: tr('预算', 'Budget'), render: (_, c) => `${formatFen(c.budgetUsed)} / ${formatFen(c.budget)}` },
          { title: tr('时间', 'Runs'), render: (_, c) => `${fmtTime(c.startsAt)} ~ ${fmtTime(c.endsAt)}` },
          { title: tr('优先级', 'Priority'), dataIndex: 'priority' },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <CodeTag group="promoState" code={s} /> },
          {
            title: t('actions'),
            render: (_, c) => (
              <Button size="small" type="link" onClick={() => void toggle(c)}>
                {c.status === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}
              </Button>
            ),
          },
        ]}
      />
      <Pager list={list} />
      {open && (
        <CampaignDrawer
          id={open}
          onClose={() => {
            setOpen(null);
            void list.reload();
          }}
        />
      )}
      <CampaignFormModal
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
