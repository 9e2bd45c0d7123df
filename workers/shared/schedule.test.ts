import { describe, expect, it } from 'vitest';
import { scheduleState, windowState } from './schedule';

describe('schedule states', () => {
  const w = { startsAt: 1_000, endsAt: 2_000 };

  it('a window is upcoming before its start, live from its start, ended from its end', () => {
    expect(windowState(w, 999)).toBe('upcoming');
    expect(windowState(w, 1_000)).toBe('live');
    expect(windowState(w, 1_999)).toBe('live');
    expect(windowState(w, 2_000)).toBe('ended');
  });

  it('a window staff switched off is disabled whatever the clock says', () => {
    expect(scheduleState({ ...w, status: 'active' }, 999)).toBe('upcoming');
    expect(scheduleState({ ...w, status: 'disabled' }, 1_500)).toBe('disabled');
  });
});
