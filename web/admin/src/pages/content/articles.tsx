import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, errText, fmtTime, showError } from '../../ui';
import { ArticleEditor } from './editor';

type Content = Schemas['AdminContent'];
type Status = NonNullable<Content['status']>;

/** 内容管理: articles, topics and scene guides with their state, ratings, metrics and the lifecycle actions. */
export default function ContentListPage() {
  const { t, tr, labelOptions } = useI18n();
  const [items, setItems] = useState<Content[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<Status | undefined>();
  const [flagged, setFlagged] = useState(false);
  const [editing, setEditing] = useState<Content | 'new' | null>(null);

  const load = useCallback(async () => {
    try {
      const query = { status, flagged: flagged ? ('true' as const) : undefined };
      setItems((await call(api.GET('/admin/v1/content/articles', { params: { query } }))).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [status, flagged]);
  useEffect(() => void load(), [load]);

  const act = async (c: Content, action: 'submit' | 'approve') => {
    try {
      if (action === 'submit')
        await call(api.POST('/admin/v1/content/articles/{contentId}/submit', { params: { path: { contentId: c.id } } }));
      else await call(api.POST('/admin/v1/content/articles/{contentId}/approve', { params: { path: { contentId: c.id } } }));
      await load();
    } catch (e) {
      showError(e);
      await load();
    }
  };
  const withReason = (c: Content, action: 'reject' | 'take-down') => {
    let reason = '';
    Modal.confirm({
      title: action === 'reject' ? tr('驳回原因', 'Reason to reject') : tr('下线原因', 'Reason to take down'),
      content: <Input data-testid="content-reason" onChange={(e) => (reason = e.target.value)} />,
      onOk: async () => {
        const body = { reason: reason.trim() || tr('运营下线', 'Taken down by staff') };
        const path = { contentId: c.id };
        try {
          if (action === 'reject') await call(api.POST('/admin/v1/content/articles/{contentId}/reject', { params: { path }, body }));
          else await call(api.POST('/admin/v1/content/articles/{contentId}/take-down', { params: { path }, body }));
          await load();
        } catch (e) {
          showError(e);
        }
      },
    });
  };

  return (
    <div data-testid="content-list-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setEditing('new')} data-testid="content-new">
            {tr('新建内容', 'New article')}
          </Button>
        }
      >
        {t('nav.content-list')}
      </PageTitle>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={tr('全部状态', 'All states')}
          style={{ width: 160 }}
          value={status}
          onChange={(v) => setStatus(v)}
          options={labelOptions('contentStatus')}
        />
        <Button type={flagged ? 'primary' : 'default'} danger={flagged} onClick={() => setFlagged((f) => !f)} data-testid="content-flagged">
          {tr('被举报/差评', 'Flagged by shoppers')}
        </Button>
      </Space>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Content>
        rowKey="id"
        dataSource={items}
        pagination={{ pageSize: 20 }}
        onRow={(r) => ({ 'data-testid': 'content-row', 'data-content-title': r.title }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: tr('标题', 'Title'),
            dataIndex: 'title',
            render: (v: string, r) => (
              <Space direction="vertical" size={0}>
                <a onClick={() => setEditing(r)}>{v}</a>
                <span>
                  <CodeTag group="contentKind" code={r.kind} />
                  {r.seasonTag && <Tag color="magenta">{r.seasonTag}</Tag>}
                  {r.tags.map((x) => (
                    <Tag key={x}>{x}</Tag>
                  ))}
                </span>
              </Space>
            ),
          },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (v: string, r) => (
              <Space direction="vertical" size={0}>
                <CodeTag group="contentStatus" code={v} testId="content-status" />
                {r.live && <Tag color="green">{tr('前台可见', 'Live')}</Tag>}
                {r.flagState === 'flagged' && (
                  <Tag color="red" title={r.flagReason ?? ''}>
                    {r.flagReason ?? tr('被举报', 'Flagged')}
                  </Tag>
                )}
                {r.rejectReason && r.status === 'draft' && <Tag color="orange">{r.rejectReason}</Tag>}
                {r.takedownReason && r.status === 'taken_down' && <Tag>{r.takedownReason}</Tag>}
              </Space>
            ),
          },
          { title: tr('发布时间', 'Publish at'), dataIndex: 'publishAt', render: fmtTime },
          {
            title: tr('数据', 'Metrics'),
            key: 'metrics',
            render: (_, r) => (
              <span style={{ fontSize: 12 }}>
                {tr('浏览', 'Views')} {r.metrics.views} · CTR {(r.metrics.ctr * 100).toFixed(1)}% · {tr('成交', 'Orders')}{' '}
                {r.metrics.orders}
                <br />
                👍 {r.likes} 👎 {r.dislikes} · {tr('举报', 'Reports')} {r.reports}
              </span>
            ),
          },
          {
            title: t('actions'),
            key: 'actions',
            render: (_, r) => (
              <Space wrap>
                {(r.status === 'draft' ||
                  r.status === 'approved' ||
                  r.status === 'scheduled' ||
                  r.status === 'review' ||
                  r.status === 'taken_down') &&
                  !r.live && <a onClick={() => setEditing(r)}>{t('edit')}</a>}
                {r.status === 'draft' && (
                  <a onClick={() => void act(r, 'submit')} data-testid="content-submit">
                    {tr('提交审核', 'Submit')}
                  </a>
                )}
                {r.status === 'review' && (
                  <>
                    <a onClick={() => void act(r, 'approve')} data-testid="content-approve">
                      {tr('通过', 'Approve')}
                    </a>
                    <a onClick={() => withReason(r, 'reject')}>{tr('驳回', 'Reject')}</a>
                  </>
                )}
                {r.status !== 'draft' && r.status !== 'taken_down' && (
                  <a onClick={() => withReason(r, 'take-down')} data-testid="content-take-down">
                    {tr('下线', 'Take down')}
                  </a>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing !== null && (
        <ArticleEditor
          content={editing === 'new' ? null : editing}
          onClose={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
    </div>
  );
}
