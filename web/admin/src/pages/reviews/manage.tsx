import { useCallback, useState } from 'react';
import { Button, Image, Input, Modal, Rate, Select, Space, Table, Typography, message } from 'antd';
import { api, call } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, Pager, fmtTime, showError, useCursorList } from '../../ui';

type Query = { productId?: string; status?: 'published' | 'pending' | 'rejected'; replied?: 'true' | 'false' };
const fetchReviews = (query: Query, cursor: string | undefined) =>
  call(api.GET('/admin/v1/reviews', { params: { query: { limit: 20, cursor, ...query } } }));
type Review = Awaited<ReturnType<typeof fetchReviews>>['items'][number];
type Status = Review['status'];

/** 评价管理: reviews by product / status / replied, with 商家回复 (a merchant sees and replies to its own products' reviews only). */
export default function ReviewsPage() {
  const { tr, labelOptions } = useI18n();
  const { me } = useAuth();
  const canReply = !!me?.permissions.includes('catalog.write');
  const [filter, setFilter] = useState<{ productId?: string; status?: Status; replied?: 'true' | 'false' }>({});
  const [draft, setDraft] = useState('');
  const fetchPage = useCallback((cursor: string | undefined) => fetchReviews(filter, cursor), [filter]);
  const list = useCursorList<Review>(fetchPage);
  const [replying, setReplying] = useState<Review | null>(null);
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);

  const sendReply = async () => {
    if (!replying) return;
    setBusy(true);
    try {
      await call(
        api.PUT('/admin/v1/reviews/{reviewId}/reply', { params: { path: { reviewId: replying.id } }, body: { text: reply.trim() } }),
      );
      void message.success(tr('已回复', 'Replied'));
      setReplying(null);
      void list.reload();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="reviews-page">
      <PageTitle>{tr('评价管理', 'Reviews')}</PageTitle>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={tr('商品 ID', 'Product id')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onSearch={(v) => setFilter((f) => ({ ...f, productId: v.trim() || undefined }))}
          style={{ width: 240 }}
          data-testid="reviews-product"
        />
        <Select
          allowClear
          placeholder={tr('状态', 'Status')}
          style={{ width: 140 }}
          options={labelOptions('reviewStatus')}
          value={filter.status}
          onChange={(v) => setFilter((f) => ({ ...f, status: v as Status | undefined }))}
        />
        <Select
          allowClear
          placeholder={tr('是否已回复', 'Replied')}
          style={{ width: 140 }}
          options={[
            { value: 'false', label: tr('未回复', 'Not replied') },
            { value: 'true', label: tr('已回复', 'Replied') },
          ]}
          value={filter.replied}
          onChange={(v) => setFilter((f) => ({ ...f, replied: v as 'true' | 'false' | undefined }))}
        />
      </Space>
      <Table<Review>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          {
            title: tr('商品', 'Product'),
            dataIndex: 'productTitle',
            width: 200,
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Text>{r.productTitle}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.specKey}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: tr('评分', 'Rating'),
            dataIndex: 'rating',
            width: 130,
            render: (v: number) => <Rate disabled value={v} style={{ fontSize: 12 }} />,
          },
          {
            title: tr('评价', 'Review'),
            dataIndex: 'text',
            render: (_, r) => (
              <Space direction="vertical" size={4} data-testid="reviews-row" data-review-id={r.id}>
                <span>{r.text}</span>
                {r.tags.length > 0 && <Typography.Text type="secondary">{r.tags.join(' · ')}</Typography.Text>}
                {r.photos.length > 0 && (
                  <Image.PreviewGroup>
                    <Space>
                      {r.photos.map((p) => (
                        <Image key={p.key} src={p.url} width={48} height={48} style={{ objectFit: 'cover' }} />
                      ))}
                    </Space>
                  </Image.PreviewGroup>
                )}
                {r.append && (
                  <Typography.Text type="secondary">
                    {tr('追评：', 'Follow-up: ')}
                    {r.append.text}
                  </Typography.Text>
                )}
                {r.reply && (
                  <Typography.Text type="success" data-testid="reviews-reply">
                    {tr('商家回复：', 'Reply: ')}
                    {r.reply.text}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: tr('买家', 'Shopper'), dataIndex: 'authorNickname', width: 120 },
          {
            title: tr('状态', 'Status'),
            dataIndex: 'status',
            width: 100,
            render: (v: Status) => <CodeTag group="reviewStatus" code={v} />,
          },
          { title: tr('时间', 'Time'), dataIndex: 'createdAt', width: 160, render: (v: string) => fmtTime(v) },
          {
            title: tr('操作', 'Actions'),
            width: 100,
            render: (_, r) =>
              canReply && r.status !== 'rejected' ? (
                <Button
                  size="small"
                  data-testid="reviews-reply-open"
                  onClick={() => {
                    setReplying(r);
                    setReply(r.reply?.text ?? '');
                  }}
                >
                  {r.reply ? tr('修改回复', 'Edit reply') : tr('回复', 'Reply')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Pager list={list} />
      <Modal
        open={!!replying}
        title={tr('回复评价', 'Reply to review')}
        okButtonProps={{ disabled: !reply.trim(), loading: busy, 'data-testid': 'reviews-reply-save' }}
        onOk={() => void sendReply()}
        onCancel={() => setReplying(null)}
      >
        {replying && <Typography.Paragraph type="secondary">{replying.text}</Typography.Paragraph>}
        <Input.TextArea
          rows={3}
          maxLength={300}
          value={reply}
          onChange={(e) => setReply(e.target.value)}
          data-testid="reviews-reply-text"
        />
      </Modal>
    </div>
  );
}
