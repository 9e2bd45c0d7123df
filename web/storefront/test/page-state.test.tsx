// PageState: error beats loading beats empty; retry and the empty state's way out call back.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { ApiError } from '@edgemall/client/errors';
import { PageState } from '@/components/page-state';

describe('PageState', () => {
  it('shows the error in Chinese with 重试, even while loading', () => {
    const retry = vi.fn();
    render(<PageState loading error={new ApiError(404, 'orders.not_found', 'order x')} onRetry={retry} />);
    expect(screen.getByTestId('page-error').textContent).toContain('重试');
    expect(screen.queryByTestId('page-loading')).toBeNull();
    fireEvent.click(screen.getByText('重试'));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('shows the empty text and, when given, a way out', () => {
    const toCart = vi.fn();
    render(<PageState empty emptyText="没有要结算的商品" emptyAction={{ text: '去购物车', onClick: toCart }} />);
    expect(screen.getByTestId('page-empty').textContent).toContain('没有要结算的商品');
    fireEvent.click(screen.getByTestId('page-empty-action'));
    expect(toCart).toHaveBeenCalledTimes(1);
  });

  it('has no button in an empty state without an action', () => {
    render(<PageState empty />);
    expect(screen.getByTestId('page-empty').textContent).toBe('这里还什么都没有');
    expect(screen.queryByTestId('page-empty-action')).toBeNull();
  });
});
