import { useEffect, useState } from 'react';
import { Alert, Card, Col, List, Row, Select, Space, Table } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { PageTitle, errText } from '../../ui';

type Report = Schemas['SupportReport'];
type Week = Report['weeks'][number];

const pct = (v: number | null) => (v == null ? '—' : `${Math.round(v * 1000) / 10}%`);
const num = (v: number | null) => (v == null ? '—' : String(v));

/** 服务报表: the weekly feedback loop of customer service. */
export default function SupportReportPage() {
  const { t, tr } = useI18n();
  const [weeks, setWeeks] = useState(4);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/admin/v1/support/report', { params: { query: { weeks } } }))
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch(setError);
  }, [weeks]);
  return (
    <div data-testid="support-report-page">
      <PageTitle>{t('nav.support-report')}</PageTitle>
      <Space style={{ marginBottom: 12 }}>
        <Select
          value={weeks}
          onChange={setWeeks}
          style={{ width: 120 }}
          options={[4, 8, 12].map((w) => ({ value: w, label: tr(`近 ${w} 周`, `${w} weeks`) }))}
        />
      </Space>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Week>
        rowKey="week"
        loading={!report && !error}
        dataSource={report ? [...report.weeks].reverse() : []}
        pagination={false}
        columns={[
          { title: tr('周（周一）', 'Week of'), dataIndex: 'week' },
          { title: tr('会话', 'Conversations'), dataIndex: 'conversations' },
          { title: tr('机器人解决率', 'Bot resolution'), dataIndex: 'autoResolutionRate', render: pct },
          { title: tr('工单', 'Tickets'), dataIndex: 'tickets' },
          { title: tr('平均首响（分钟）', 'First response (min)'), dataIndex: 'avgFirstResponseMinutes', render: num },
          { title: tr('平均解决（分钟）', 'Resolution (min)'), dataIndex: 'avgResolutionMinutes', render: num },
          { title: tr('满意度', 'CSAT'), key: 'csat', render: (_: unknown, w: Week) => `${num(w.csat)} (${w.ratings})` },
          {
            title: tr('超时', 'SLA breaches'),
            key: 'b',
            render: (_: unknown, w: Week) => `${w.firstResponseBreaches} / ${w.resolutionBreaches}`,
          },
        ]}
      />
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col span={12}>
          <Card size="small" title={tr('高频问题', 'Most asked')}>
            <List
              size="small"
              dataSource={report?.topQuestions ?? []}
              renderItem={(q) => <List.Item extra={q.count}>{q.label}</List.Item>}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={tr('投诉原因', 'Complaint reasons')}>
            <List
              size="small"
              dataSource={report?.complaintReasons ?? []}
              renderItem={(r) => <List.Item extra={r.count}>{r.reason}</List.Item>}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
