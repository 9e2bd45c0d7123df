import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Calendar, Card, List, Space, Tag, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, errText } from '../../ui';

type CalendarDto = Schemas['ContentCalendar'];
type Item = CalendarDto['days'][number]['items'][number];

const STATUS_BADGE: Record<string, 'default' | 'processing' | 'success' | 'error' | 'warning'> = {
  scheduled: 'processing',
  published: 'success',
  taken_down: 'error',
  review: 'warning',
};

/** 内容日历: what goes out on each Beijing day (antd Calendar, month view), seasonal items prepared ahead, low performers flagged. */
export default function ContentCalendarPage() {
  const { t, tr } = useI18n();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const [data, setData] = useState<CalendarDto | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (m: Dayjs) => {
    try {
      // the month shown plus its neighbours: the grid shows a few days of each
      const from = m.subtract(1, 'month').format('YYYY-MM');
      const to = m.add(1, 'month').format('YYYY-MM');
      setData(await call(api.GET('/admin/v1/content/calendar', { params: { query: { from, to } } })));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => void load(month), [load, month]);

  const byDay = new Map((data?.days ?? []).map((d) => [d.day, d.items]));
  // the Calendar's dates are local; days in the API are Beijing days (the console is used in China)
  const dayOf = (d: Dayjs) => d.format('YYYY-MM-DD');

  const cell = (d: Dayjs) => {
    const items = byDay.get(dayOf(d)) ?? [];
    return (
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((i: Item) => (
          <li key={i.id} data-testid="calendar-item" data-content-title={i.title}>
            <Tooltip
              title={`${i.title} · ${tr('浏览', 'views')} ${i.metrics.views} · CTR ${(i.metrics.ctr * 100).toFixed(1)}% · ${tr('成交', 'orders')} ${i.metrics.orders}`}
            >
              <Badge status={STATUS_BADGE[i.status] ?? 'default'} text={<span style={{ fontSize: 12 }}>{i.title}</span>} />
              {i.seasonTag && (
                <Tag color="magenta" style={{ fontSize: 10, marginLeft: 4 }}>
                  {i.seasonTag}
                </Tag>
              )}
              {i.lowPerformer && (
                <Tag color="red" style={{ fontSize: 10 }} data-testid="calendar-low">
                  {tr('低效', 'Low CTR')}
                </Tag>
              )}
              {i.flagState === 'flagged' && (
                <Tag color="volcano" style={{ fontSize: 10 }}>
                  {tr('被举报', 'Flagged')}
                </Tag>
              )}
            </Tooltip>
          </li>
        ))}
      </ul>
    );
  };

  return (
    <div data-testid="content-calendar-page">
      <PageTitle>{t('nav.content-calendar')}</PageTitle>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Space style={{ marginBottom: 8 }}>
        <span>
          {tr('近30天 CTR 中位数', '30-day median CTR')}: {data?.medianCtr == null ? '—' : `${(data.medianCtr * 100).toFixed(1)}%`}
        </span>
        <span style={{ color: '#888' }}>
          {tr('低效：浏览≥100 且 CTR 低于中位数一半', 'Low CTR: ≥ 100 views and CTR below half the median')}
        </span>
      </Space>
      <Calendar
        value={month}
        onPanelChange={(d) => setMonth(d)}
        onSelect={(d) => setMonth(d)}
        cellRender={(d, info) => (info.type === 'date' ? cell(d) : null)}
      />
      <Card title={tr('已准备、未定时（节日内容可提前准备）', 'Prepared, not yet scheduled')} style={{ marginTop: 12 }} size="small">
        <List
          size="small"
          dataSource={data?.unscheduled ?? []}
          locale={{ emptyText: tr('暂无', 'None') }}
          renderItem={(i) => (
            <List.Item data-testid="calendar-unscheduled">
              <Space>
                <CodeTag group="contentKind" code={i.kind} />
                {i.title}
                {i.seasonTag && <Tag color="magenta">{i.seasonTag}</Tag>}
                <CodeTag group="contentStatus" code={i.status} />
              </Space>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
