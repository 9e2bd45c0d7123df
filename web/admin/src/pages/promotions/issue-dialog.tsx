import { useState } from 'react';
import { Alert, Button, Descriptions, Modal } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { errText } from '../../ui';
import { SegmentPicker, type Segment } from './shared';

type Result = Schemas['IssueCouponsResult'];
type Totals = { batchId: string; processed: number; issued: number; skipped: Result['skipped']; next: string | null };

/** 定向发放: pick a segment, issue one page (≤ 2,000 shoppers), then "continue" while the API returns `next`. */
export function IssueDialog({ coupon, onClose }: { coupon: Schemas['CouponTemplate']; onClose: () => void }) {
  const { tr } = useI18n();
  const [segment, setSegment] = useState<Segment>({ kind: 'all' });
  const [totals, setTotals] = useState<Totals | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (more: boolean) => {
    if (segment.kind === 'users' && (segment.userIds.length < 1 || segment.userIds.length > 1000)) {
      setError(tr('请填写 1–1000 个用户 ID', 'Enter 1–1000 user ids'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = more && totals?.next ? { segment, batchId: totals.batchId, afterId: totals.next } : { segment };
      const r = await call(
        api.POST('/admin/v1/coupon-templates/{templateId}/issue', { params: { path: { templateId: coupon.id } }, body }),
      );
      setTotals((prev) => {
        const p = more && prev ? prev : null;
        const sk = r.skipped;
        return {
          batchId: r.batchId,
          next: r.next ?? null,
          processed: (p?.processed ?? 0) + r.processed,
          issued: (p?.issued ?? 0) + r.issued,
          skipped: p
            ? {
                already: p.skipped.already + sk.already,
                limit: p.skipped.limit + sk.limit,
                soldOut: p.skipped.soldOut + sk.soldOut,
                budget: p.skipped.budget + sk.budget,
                unknown: p.skipped.unknown + sk.unknown,
              }
            : sk,
        };
      });
    } catch (e) {
      setError(errText(e));
    } finally {
      setBusy(false);
    }
  };

  const done = totals && !totals.next;
  return (
    <Modal
      open
      width={620}
      title={`${tr('定向发放', 'Issue')} · ${coupon.name}`}
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>
          {tr('关闭', 'Close')}
        </Button>,
        totals?.next ? (
          <Button key="more" type="primary" loading={busy} onClick={() => void run(true)} data-testid="issue-continue">
            {tr('继续发放', 'Continue')}
          </Button>
        ) : (
          <Button key="go" type="primary" loading={busy} disabled={!!done} onClick={() => void run(false)} data-testid="issue-submit">
            {tr('发放', 'Issue')}
          </Button>
        ),
      ]}
    >
      <p style={{ color: '#888' }}>
        {tr(
          `剩余可发：${coupon.totalQuantity - coupon.issuedCount} 张；每次最多处理 2000 人。`,
          `${coupon.totalQuantity - coupon.issuedCount} left; up to 2,000 shoppers per request.`,
        )}
      </p>
      <SegmentPicker
        value={segment}
        onChange={(s) => {
          setSegment(s);
          setTotals(null);
        }}
        testId="issue-segment"
      />
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="issue-error" />}
      {totals && (
        <div data-testid="issue-result" style={{ marginTop: 12 }}>
          <Alert
            type={totals.next ? 'info' : 'success'}
            showIcon
            message={
              totals.next
                ? tr(
                    `已处理 ${totals.processed} 人，还有更多用户，点击“继续发放”`,
                    `${totals.processed} shoppers processed; more remain — press Continue`,
                  )
                : tr(`发放完成（批次 ${totals.batchId}）`, `Done (batch ${totals.batchId})`)
            }
          />
          <Descriptions size="small" column={3} bordered style={{ marginTop: 8 }}>
            <Descriptions.Item label={tr('已发放', 'Issued')}>
              <b data-testid="issue-issued">{totals.issued}</b>
            </Descriptions.Item>
            <Descriptions.Item label={tr('已处理', 'Processed')}>{totals.processed}</Descriptions.Item>
            <Descriptions.Item label={tr('批次', 'Batch')}>{totals.batchId}</Descriptions.Item>
            <Descriptions.Item label={tr('跳过·本批已领', 'Skipped: already')}>{totals.skipped.already}</Descriptions.Item>
            <Descriptions.Item label={tr('跳过·达每人上限', 'Skipped: limit')}>{totals.skipped.limit}</Descriptions.Item>
            <Descriptions.Item label={tr('跳过·已发完', 'Skipped: sold out')}>{totals.skipped.soldOut}</Descriptions.Item>
            <Descriptions.Item label={tr('跳过·活动预算不足', 'Skipped: budget')}>{totals.skipped.budget}</Descriptions.Item>
            <Descriptions.Item label={tr('跳过·无此用户', 'Skipped: unknown')} span={2}>
              {totals.skipped.unknown}
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </Modal>
  );
}
