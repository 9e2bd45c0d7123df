import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { SkuPicker, type SkuPickerProduct } from '@/components/sku-picker';
import { calls } from './shims/taro';

// 2 specs × 4 SKUs; 白色/750ml is sold out.
const product: SkuPickerProduct = {
  title: '316不锈钢保温杯',
  mainImage: { url: 'https://img.test/main.png' },
  specDims: [
    { name: '颜色', values: ['黑色', '白色'] },
    { name: '容量', values: ['500ml', '750ml'] },
  ],
  skus: [
    {
      id: 'sku-b5',
      specValues: ['黑色', '500ml'],
      price: 8900,
      originalPrice: 12900,
      stock: 5,
      inStock: true,
      image: { url: 'https://img.test/black.png' },
    },
    { id: 'sku-b7', specValues: ['黑色', '750ml'], price: 10900, originalPrice: 14900, stock: 12, inStock: true, image: null },
    { id: 'sku-w5', specValues: ['白色', '500ml'], price: 8900, originalPrice: 12900, stock: 2, inStock: true, image: null },
    { id: 'sku-w7', specValues: ['白色', '750ml'], price: 10900, originalPrice: 14900, stock: 0, inStock: false, image: null },
  ],
};

const option = (spec: string, value: string) =>
  document.querySelector(`[data-testid="sku-option"][data-spec="${spec}"][data-value="${value}"]`) as HTMLElement;
const qtyInput = () => screen.getByTestId('sku-qty') as HTMLInputElement;

function setup(props: Partial<Parameters<typeof SkuPicker>[0]> = {}) {
  const onConfirm = vi.fn();
  const onClose = vi.fn();
  render(<SkuPicker product={product} onConfirm={onConfirm} onClose={onClose} {...props} />);
  return { onConfirm, onClose };
}

describe('SkuPicker', () => {
  it('draws one row per spec with an option per value', () => {
    setup();
    expect(screen.getByTestId('sku-picker')).toBeTruthy();
    expect(screen.getAllByTestId('sku-option').map((o) => `${o.dataset.spec}:${o.dataset.value}`)).toEqual([
      '颜色:黑色',
      '颜色:白色',
      '容量:500ml',
      '容量:750ml',
    ]);
    expect(screen.getByTestId('sku-selected').textContent).toBe('请选择 颜色 容量');
    expect(screen.getByTestId('sku-stock').textContent).toBe('库存 19 件'); // in-stock pieces over all SKUs
    expect(screen.getByTestId('sku-price').textContent).toBe('¥89.00-¥109.00');
    expect((screen.getByTestId('sku-confirm') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('sku-confirm').textContent).toBe('确定');
  });

  it('disables the option whose combination with the chosen one is sold out', () => {
    setup();
    fireEvent.click(option('颜色', '白色'));
    expect(option('颜色', '白色').className).toContain('sku-option--selected');
    expect(option('容量', '750ml').className).toContain('sku-option--disabled');
    expect(option('容量', '500ml').className).not.toContain('sku-option--disabled');
    expect(screen.getByTestId('sku-selected').textContent).toBe('请选择 容量');
    expect(screen.getByTestId('sku-stock').textContent).toBe('仅剩 2 件');

    // tapping the disabled option changes nothing
    fireEvent.click(option('容量', '750ml'));
    expect(option('容量', '750ml').className).not.toContain('sku-option--selected');
    expect(screen.getByTestId('sku-selected').textContent).toBe('请选择 容量');
  });

  it('the other way round: with 750ml chosen, 白色 is disabled and 黑色 is not', () => {
    setup();
    fireEvent.click(option('容量', '750ml'));
    expect(option('颜色', '白色').className).toContain('sku-option--disabled');
    expect(option('颜色', '黑色').className).not.toContain('sku-option--disabled');
  });

  it('shows the chosen SKU: 已选 text, price, list price, stock, picture', () => {
    setup();
    fireEvent.click(option('颜色', '黑色'));
    fireEvent.click(option('容量', '500ml'));
    expect(screen.getByTestId('sku-selected').textContent).toBe('已选：黑色 500ml');
    expect(screen.getByTestId('sku-price').textContent).toBe('¥89.00¥129.00');
    expect(screen.getByTestId('sku-stock').textContent).toBe('仅剩 5 件');
    expect(document.querySelector('.sku-picker__img')?.getAttribute('src')).toBe('https://img.test/black.png');
    expect((screen.getByTestId('sku-confirm') as HTMLButtonElement).disabled).toBe(false);
  });

  it('unchooses an option on a second tap', () => {
    setup();
    fireEvent.click(option('颜色', '黑色'));
    fireEvent.click(option('颜色', '黑色'));
    expect(option('颜色', '黑色').className).not.toContain('sku-option--selected');
    expect(screen.getByTestId('sku-selected').textContent).toBe('请选择 颜色 容量');
  });

  it('shows the promotion price when one is given', () => {
    setup({ prices: { 'sku-b7': 8720 } });
    fireEvent.click(option('颜色', '黑色'));
    fireEvent.click(option('容量', '750ml'));
    // the price before the promotion is struck through
    expect(screen.getByTestId('sku-price').textContent).toBe('¥87.20¥109.00');
  });

  it('keeps the quantity within 1..stock', () => {
    setup();
    fireEvent.click(option('颜色', '黑色'));
    fireEvent.click(option('容量', '500ml')); // stock 5
    expect(qtyInput().value).toBe('1');
    fireEvent.click(screen.getByTestId('sku-qty-minus'));
    expect(qtyInput().value).toBe('1');
    for (let i = 0; i < 7; i++) fireEvent.click(screen.getByTestId('sku-qty-plus'));
    expect(qtyInput().value).toBe('5');
    expect(calls.some((c) => c.api === 'showToast' && (c.args[0] as { title: string }).title === '最多只能购买 5 件')).toBe(true);
    fireEvent.click(screen.getByTestId('sku-qty-minus'));
    expect(qtyInput().value).toBe('4');

    // typed: too many → the stock; zero → 1; cleared → stays empty while typing, 1 again on blur
    fireEvent.change(qtyInput(), { target: { value: '50' } });
    expect(qtyInput().value).toBe('5');
    fireEvent.change(qtyInput(), { target: { value: '0' } });
    expect(qtyInput().value).toBe('1');
    fireEvent.change(qtyInput(), { target: { value: '3' } });
    expect(qtyInput().value).toBe('3');
    fireEvent.change(qtyInput(), { target: { value: '' } });
    expect(qtyInput().value).toBe('');
    fireEvent.blur(qtyInput());
    expect(qtyInput().value).toBe('3');
  });

  it('clamps the quantity again when a SKU with less stock is chosen', () => {
    setup();
    fireEvent.click(option('颜色', '黑色'));
    fireEvent.click(option('容量', '750ml')); // stock 12
    fireEvent.change(qtyInput(), { target: { value: '10' } });
    expect(qtyInput().value).toBe('10');
    fireEvent.click(option('容量', '500ml')); // stock 5
    expect(qtyInput().value).toBe('5');
  });

  it('honours a per-order limit below the stock', () => {
    setup({ limit: 3 });
    fireEvent.click(option('颜色', '黑色'));
    fireEvent.click(option('容量', '750ml'));
    fireEvent.change(qtyInput(), { target: { value: '9' } });
    expect(qtyInput().value).toBe('3');
    expect(screen.getByText('每单限购3件')).toBeTruthy();
  });

  it('confirm calls onConfirm with the chosen SKU and quantity', () => {
    const { onConfirm } = setup({ mode: 'cart' });
    expect(screen.getByTestId('sku-confirm').textContent).toBe('加入购物车');
    fireEvent.click(screen.getByTestId('sku-confirm'));
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(option('颜色', '黑色'));
    fireEvent.click(screen.getByTestId('sku-confirm'));
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(option('容量', '750ml'));
    fireEvent.click(screen.getByTestId('sku-qty-plus'));
    fireEvent.click(screen.getByTestId('sku-qty-plus'));
    fireEvent.click(screen.getByTestId('sku-confirm'));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onConfirm).toHaveBeenCalledWith('sku-b7', 3);
  });

  it('starts from the SKU and quantity it is given', () => {
    const { onConfirm } = setup({ skuId: 'sku-w5', quantity: 9, mode: 'buy' });
    expect(screen.getByTestId('sku-confirm').textContent).toBe('立即购买');
    expect(option('颜色', '白色').className).toContain('sku-option--selected');
    expect(option('容量', '500ml').className).toContain('sku-option--selected');
    expect(screen.getByTestId('sku-selected').textContent).toBe('已选：白色 500ml');
    expect(qtyInput().value).toBe('2'); // 9 clamped to the stock of 2
    fireEvent.click(screen.getByTestId('sku-confirm'));
    expect(onConfirm).toHaveBeenCalledWith('sku-w5', 2);
  });

  it('a sold-out SKU given as chosen cannot be confirmed', () => {
    const { onConfirm } = setup({ skuId: 'sku-w7' });
    expect(screen.getByTestId('sku-stock').textContent).toBe('已售罄');
    expect(option('容量', '750ml').className).toContain('sku-option--disabled');
    const confirm = screen.getByTestId('sku-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    expect(confirm.textContent).toBe('已售罄');
    fireEvent.click(confirm);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('does not confirm while the caller is busy', () => {
    const { onConfirm } = setup({ skuId: 'sku-b5', busy: true });
    expect((screen.getByTestId('sku-confirm') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('sku-confirm'));
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('closes from the × and from the mask', () => {
    const { onClose } = setup();
    fireEvent.click(screen.getByTestId('sku-close'));
    fireEvent.click(document.querySelector('.sku-picker__mask') as HTMLElement);
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
