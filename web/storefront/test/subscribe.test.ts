import { describe, expect, it } from 'vitest';
import { subscribeResults, templateIdsFor } from '@/lib/subscribe';

describe('subscribe-message helpers', () => {
  const templates = [
    { key: 'restock', wxTemplateId: 'T_RESTOCK' },
    { key: 'price_drop', wxTemplateId: 'T_DROP' },
    { key: 'new_arrivals', wxTemplateId: 'T_NEW' },
    { key: 'win_back', wxTemplateId: 'T_WIN' },
  ];
  it('asks for the given kinds’ templates, at most 3 (WeChat’s limit per call)', () => {
    expect(templateIdsFor(templates, ['restock'])).toEqual(['T_RESTOCK']);
    expect(templateIdsFor(templates, ['restock', 'price_drop', 'new_arrivals', 'win_back'])).toHaveLength(3);
    expect(templateIdsFor(templates, ['task_reward'])).toEqual([]);
  });
  it('reports only the answers WeChat gave for what was asked', () => {
    const answer = { errMsg: 'requestSubscribeMessage:ok', T_RESTOCK: 'accept', T_DROP: 'reject', T_OTHER: 'accept' };
    expect(subscribeResults(answer, ['T_RESTOCK', 'T_DROP', 'T_NEW'])).toEqual([
      { templateId: 'T_RESTOCK', result: 'accept' },
      { templateId: 'T_DROP', result: 'reject' },
    ]);
  });
});
