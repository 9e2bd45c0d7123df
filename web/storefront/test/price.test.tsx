import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { Price } from '@/components/price';

describe('Price', () => {
  it('draws integer fen as yuan with two decimals', () => {
    render(<Price fen={27920} testId="p" />);
    expect(screen.getByTestId('p').textContent).toBe('¥279.20');
  });
  it('strikes the list price', () => {
    render(<Price fen={8900} strike testId="p" />);
    expect(screen.getByTestId('p').textContent).toBe('¥89.00');
    expect(screen.getByTestId('p').className).toContain('price--strike');
  });
});
