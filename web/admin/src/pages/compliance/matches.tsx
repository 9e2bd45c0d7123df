import type { ReactNode } from 'react';
import { Alert, Space, Tag } from 'antd';
import { useI18n } from '../../i18n';

export interface FieldMatch {
  field: string;
  term: string;
  category: string;
  severity: 'warn' | 'review' | 'block';
  start: number;
  end: number;
  found: string;
  hint: string | null;
}

const COLORS = { block: '#ffccc7', review: '#ffe7ba', warn: '#fff1b8' } as const;

/** The field's text with each match marked in its severity's colour (positions are the API's, per field). */
export function MarkedText({ text, matches }: { text: string; matches: FieldMatch[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [i, m] of [...matches].sort((a, b) => a.start - b.start).entries()) {
    const start = Math.max(m.start, at); // overlapping matches: the earlier one keeps the shared characters
    if (m.end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark
        key={i}
        title={m.hint ?? m.term}
        data-testid="screen-mark"
        data-term={m.term}
        style={{ background: COLORS[m.severity], padding: 0 }}
      >
        {text.slice(start, m.end)}
      </mark>,
    );
    at = m.end;
  }
  parts.push(text.slice(at));
  return <span style={{ whiteSpace: 'pre-wrap', lineHeight: 1.8 }}>{parts}</span>;
}

/** What a product field is called in the form. */
function useFieldName() {
  const { tr } = useI18n();
  return (field: string): string => {
    const names: Record<string, string> = {
      title: tr('商品标题', 'Title'),
      subtitle: tr('副标题', 'Subtitle'),
      detailHtml: tr('详情', 'Detail'),
      material: tr('材质', 'Material'),
      origin: tr('产地', 'Origin'),
      shopName: tr('店铺名称', 'Shop name'),
      companyName: tr('公司名称', 'Company'),
      description: tr('店铺介绍', 'Description'),
    };
    if (names[field]) return names[field]!;
    const attr = /^attributes\.(.+)$/.exec(field);
    if (attr) return attr[1]!;
    const spec = /^specDims\.(\d+)\.(name|values\.(\d+))$/.exec(field);
    if (spec)
      return spec[3] !== undefined
        ? tr(`规格${Number(spec[1]) + 1} 的值`, `Spec ${Number(spec[1]) + 1} value`)
        : tr(`规格${Number(spec[1]) + 1} 名称`, `Spec ${Number(spec[1]) + 1} name`);
    return field;
  };
}

/**
 * Screening matches grouped by field: each field's text with the terms marked (when the text is
 * known) and every term with its fix hint. `type` error for refused saves, warning otherwise.
 */
export function ScreeningMatches(props: {
  matches: FieldMatch[];
  texts?: Record<string, string>;
  type: 'error' | 'warning' | 'info';
  title: ReactNode;
  testId?: string;
}) {
  const { label } = useI18n();
  const fieldName = useFieldName();
  const fields = [...new Set(props.matches.map((m) => m.field))];
  return (
    <Alert
      type={props.type}
      showIcon
      data-testid={props.testId ?? 'screening-matches'}
      message={props.title}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          {fields.map((f) => {
            const ms = props.matches.filter((m) => m.field === f);
            const text = props.texts?.[f];
            return (
              <div key={f} data-testid={`screening-field-${f}`}>
                <b>{fieldName(f)}：</b>
                {text !== undefined ? <MarkedText text={text} matches={ms} /> : null}
                <div>
                  {ms.map((m, i) => (
                    <div key={i} style={{ fontSize: 12 }}>
                      <Tag color={m.severity === 'block' ? 'red' : m.severity === 'review' ? 'orange' : 'gold'}>
                        {label('wordSeverity', m.severity)}
                      </Tag>
                      <b>{m.found}</b>
                      {m.hint ? ` — ${m.hint}` : ''}
                    </div>
                  ))}
                </div>
              </div>
            );
          })}
        </Space>
      }
    />
  );
}
