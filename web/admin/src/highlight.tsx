// Text with the compliance screen's matches marked, shared by every page that shows a screen result.
import type { Schemas } from './api';

/** What Highlighted needs of a match (screenText's, a held review's and a chat message's all fit). */
type Match = Pick<Schemas['ScreenMatch'], 'start' | 'end' | 'term' | 'hint'> & { severity: string };

/** The checked text with each match marked in its severity's colour (positions are the API's). */
export function Highlighted({ text, matches }: { text: string; matches: readonly Match[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [i, m] of matches.entries()) {
    const start = Math.max(m.start, at); // overlapping matches: the earlier one keeps the shared characters
    if (m.end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark
        key={i}
        title={m.hint ?? m.term}
        data-testid="screen-mark"
        style={{ background: m.severity === 'block' ? '#ffccc7' : m.severity === 'review' ? '#ffe7ba' : '#fff1b8', padding: 0 }}
      >
        {text.slice(start, m.end)}
      </mark>,
    );
    at = m.end;
  }
  parts.push(text.slice(at));
  return <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.8 }}>{parts}</div>;
}
