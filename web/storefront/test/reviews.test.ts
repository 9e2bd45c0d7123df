import { describe, expect, it } from 'vitest';
import { percent, reviewDay, reviewStatusText, stars, REVIEW_TAGS } from '@/lib/reviews';

describe('review helpers', () => {
  it('draws stars, the good rate and the author status', () => {
    expect(stars(4)).toBe('★★★★☆');
    expect(stars(5)).toBe('★★★★★');
    expect(percent(0.966)).toBe('97%');
    expect(reviewStatusText('pending')).toBe('审核中');
    expect(reviewStatusText('rejected')).toBe('未通过');
    expect(reviewStatusText('published')).toBe('已发布');
    expect(reviewStatusText(undefined)).toBe('已发布');
  });
  it('shows the Beijing day', () => {
    expect(reviewDay('2026-12-06T17:00:00.000Z')).toBe('2026-12-07');
  });
  it('offers the server tag list', () => {
    expect(REVIEW_TAGS).toContain('质量好');
    expect(REVIEW_TAGS).toContain('物流快');
  });
});
