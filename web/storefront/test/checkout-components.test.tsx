import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { AddressCard } from '@/components/address-card';
import { OrderLine } from '@/components/order-line';
import { CouponSheet } from '@/pages/checkout/coupon-sheet';
import { couponOption } from './fixtures';

describe('AddressCard', () => {
  it('masks the phone and shows the default tag and the full address', () => {
    render(
      <AddressCard
        testId="a"
        isDefault
        address={{ name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' }}
      />,
    );
    const text = screen.getByTestId('a').textContent!;
    expect(text).toContain('138****8000');
    expect(text).not.toContain('13800138000');
    expect(text).toContain('默认');
    expect(text).toContain('浙江省杭州市西湖区 文三路 100 号');
  });
});

describe('OrderLine', () => {
  it('shows the unit price and quantity', () => {
    render(<OrderLine testId="l" imageUrl={null} title="保温杯" specKey="白/500ml" unitPrice={8900} quantity={2} />);
    const text = screen.getByTestId('l').textContent!;
    expect(text).toContain('¥89.00');
    expect(text).toContain('×2');
    expect(text).toContain('白；500ml');
  });
});

describe('CouponSheet', () => {
  const coupons = {
    appliedIds: ['p1'],
    suggestedIds: ['p1'],
    options: [
      couponOption({ couponId: 'p1', applied: true, suggested: true }),
      couponOption({ couponId: 'p2', name: '无门槛5元', threshold: 0, amountOff: 500 }),
      couponOption({ couponId: 'x', name: '满199减40', usable: false, reason: '还差¥56.60可用' }),
    ],
  };

  it('preselects the applied coupon and lists unusable ones greyed with why', () => {
    render(<CouponSheet coupons={coupons} onClose={() => {}} onConfirm={() => {}} />);
    const opts = screen.getAllByTestId('checkout-coupon-option');
    expect(opts.map((o) => o.getAttribute('data-coupon-id'))).toEqual(['p1', 'p2', 'x']);
    expect(opts[0]!.getAttribute('data-selected')).toBe('1');
    expect(opts[0]!.textContent).toContain('¥15');
    expect(opts[0]!.textContent).toContain('满¥99可用');
    expect(opts[1]!.textContent).toContain('无门槛');
    expect(opts[2]!.getAttribute('data-usable')).toBe('0');
    expect(opts[2]!.textContent).toContain('还差¥56.60可用');
  });

  it('swaps coupons of one slot, ignores unusable taps, and confirms the choice', () => {
    const onConfirm = vi.fn();
    render(<CouponSheet coupons={coupons} onClose={() => {}} onConfirm={onConfirm} />);
    const byId = (id: string) => screen.getAllByTestId('checkout-coupon-option').find((o) => o.getAttribute('data-coupon-id') === id)!;
    fireEvent.click(byId('p2'));
    fireEvent.click(byId('x'));
    fireEvent.click(screen.getByTestId('checkout-coupon-confirm'));
    expect(onConfirm).toHaveBeenLastCalledWith(['p2']);
    fireEvent.click(screen.getByTestId('checkout-coupon-none'));
    fireEvent.click(screen.getByTestId('checkout-coupon-confirm'));
    expect(onConfirm).toHaveBeenLastCalledWith([]);
  });
});
