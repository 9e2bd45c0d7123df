import { useState } from 'react';
import { Alert, Button, Card, Empty, Image, Input, List, Modal, Rate, Space, Tag, Typography, message } from 'antd';
import { api, call } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, Pager, fmtTime, showError, useCursorList } from '../../ui';
import { Highlighted } from '../../highlight';

const fetchQueue = (cursor: string | undefined) =>
  call(api.GET('/admin/v1/reviews/moderation', { params: { query: { limit: 20, cursor } } }));
type Review = Awaited<ReturnType<typeof fetchQueue>>['items'][number];
type Part = 'review' | 'append';

const SEVERITY_COLOR: Record<string, string> = { block: 'red', review: 'orange', warn: 'gold' };

/** 评价审核: reviews and follow-ups held by screening, copy-paste detection or reports, with the matches highlighted; approve or reject (the shopper sees the reason). */
export default function ReviewModerationPage() {
  const { tr } = useI18n();
  const list = useCursorList<Review>(fetchQueue);
  return (
    <div data-testid="review-moderation-page">
      <PageTitle extra={<Button onClick={() => void list.reload()}>{tr('刷新', 'Refresh')}</Button>}>
        {tr('评价审核', 'Review moderation')}
      </PageTitle>
      {list.error ? <Alert type="error" message={String((list.error as Error).message ?? list.error)} /> : null}
      {!list.loading && list.items.length === 0 ? <Empty description={tr('没有待审核的评价', 'Nothing waits for moderation')} /> : null}
      <Space direction="vertical" style={{ width: '100%' }}>
        {list.items.flatMap((r) =>
          (['review', 'append'] as const)
            .filter((part) => (part === 'review' ? r.status === 'pending' : r.appendStatus === 'pending'))
            .map((part) => <HeldCard key={`${r.id}-${part}`} review={r} part={part} onDone={() => void list.reload()} />),
        )}
      </Space>
      <Pager list={list} />
    </div>
  );
}

function HeldCard({ review: r, part, onDone }: { review: Review; part: Part; onDone: () => void }) {
  const { tr } = useI18n();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const text = part === 'review' ? r.text : (r.append?.text ?? '');
  const screening = part === 'review' ? r.screening : r.appendScreening;
  const hold = part === 'review' ? r.holdReason : r.appendHoldReason;
  const photos = part === 'review' ? r.photos : (r.append?.photos ?? []);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await fn();
      void message.success(done);
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const approve = () =>
    act(
      () => call(api.POST('/admin/v1/reviews/{reviewId}/approve', { params: { path: { reviewId: r.id } }, body: { part } })),
      tr('已通过，评价已公开', 'Approved: the review is public'),
    );
  const reject = () =>
    act(
      async () => {
        await call(
          api.POST('/admin/v1/reviews/{reviewId}/reject', { params: { path: { reviewId: r.id } }, body: { part, reason: reason.trim() } }),
        );
        setRejecting(false);
      },
      tr('已驳回', 'Rejected'),
    );

  return (
    <Card
      size="small"
      data-testid="moderation-item"
      data-review-id={r.id}
      title={
        <Space wrap>
          <Tag color={part === 'append' ? 'purple' : 'blue'}>{part === 'append' ? tr('追评', 'Follow-up') : tr('评价', 'Review')}</Tag>
          <Typography.Text strong>{r.productTitle}</Typography.Text>
          <Rate disabled value={r.rating} style={{ fontSize: 14 }} />
          <CodeTag group="reviewHoldReason" code={hold} testId="moderation-hold-reason" />
          <span style={{ color: '#888', fontWeight: 'normal' }}>
            {r.authorNickname}
            {r.anonymous ? tr('（匿名）', ' (anonymous)') : ''} · {fmtTime(r.createdAt)}
          </span>
        </Space>
      }
      extra={
        <Space>
          <Button type="primary" loading={busy} onClick={() => void approve()} data-testid="moderation-approve">
            {tr('通过', 'Approve')}
          </Button>
          <Button danger disabled={busy} onClick={() => setRejecting(true)} data-testid="moderation-reject">
            {tr('驳回', 'Reject')}
          </Button>
        </Space>
      }
    >
      <div data-testid="moderation-text">
        <Highlighted text={text} matches={screening?.matches ?? []} />
      </div>
      {photos.length > 0 && (
        <Image.PreviewGroup>
          <Space style={{ marginTop: 8 }}>
            {photos.map((p) => (
              <Image key={p.key} src={p.url} width={72} height={72} style={{ objectFit: 'cover' }} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {(screening?.matches.length ?? 0) > 0 && (
        <List
          size="small"
          style={{ marginTop: 8 }}
          dataSource={screening!.matches}
          renderItem={(m) => (
            <List.Item data-testid="moderation-match">
              <Space wrap>
                <Tag color={SEVERITY_COLOR[m.severity]}>{m.term}</Tag>
                <CodeTag group="wordCategory" code={m.category} />
                <span>{m.hint}</span>
                <span style={{ color: '#aaa' }}>{tr(`第 ${m.start + 1}–${m.end} 字`, `chars ${m.start + 1}–${m.end}`)}</span>
              </Space>
            </List.Item>
          )}
        />
      )}
      {(screening?.duplicates.length ?? 0) > 0 && (
        <Alert
          style={{ marginTop: 8 }}
          type="warning"
          message={tr(
            `与 ${screening!.duplicates.length} 条已有评价高度相似（疑似复制粘贴）：${screening!.duplicates.map((d) => d.reviewId).join('、')}`,
            `Nearly the same as ${screening!.duplicates.length} other review(s): ${screening!.duplicates.map((d) => d.reviewId).join(', ')}`,
          )}
        />
      )}
      {hold === 'reported' && (
        <Alert style={{ marginTop: 8 }} type="info" message={tr(`被举报 ${r.reportCount} 次`, `Reported ${r.reportCount} times`)} />
      )}
      <Modal
        open={rejecting}
        title={tr('驳回评价', 'Reject review')}
        okText={tr('驳回', 'Reject')}
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: busy, 'data-testid': 'moderation-reject-confirm' }}
        onOk={() => void reject()}
        onCancel={() => setRejecting(false)}
      >
        <Input.TextArea
          rows={3}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={tr('驳回原因（买家可见），如：含有广告用语，请修改后重新评价', 'Reason the shopper sees')}
          data-testid="moderation-reject-reason"
        />
      </Modal>
    </Card>
  );
}
