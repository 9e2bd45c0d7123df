import { describe, expect, it } from 'vitest';
import { isValidPhone, isValidSmsCode, loginTarget } from '@/lib/promo-login';

describe('isValidPhone', () => {
  it('accepts 11-digit mainland mobile numbers', () => {
    expect(isValidPhone('13800138000')).toBe(true);
    expect(isValidPhone('19912345678')).toBe(true);
    expect(isValidPhone(' 13800138000 ')).toBe(true);
  });
  it('refuses anything else', () => {
    expect(isValidPhone('12800138000')).toBe(false);
    expect(isValidPhone('1380013800')).toBe(false);
    expect(isValidPhone('138001380001')).toBe(false);
    expect(isValidPhone('1380013800a')).toBe(false);
    expect(isValidPhone('+8613800138000')).toBe(false);
    expect(isValidPhone('')).toBe(false);
  });
});

describe('isValidSmsCode', () => {
  it('is exactly 6 digits', () => {
    expect(isValidSmsCode('123456')).toBe(true);
    expect(isValidSmsCode('000000')).toBe(true);
    expect(isValidSmsCode('12345')).toBe(false);
    expect(isValidSmsCode('1234567')).toBe(false);
    expect(isValidSmsCode('12a456')).toBe(false);
    expect(isValidSmsCode('')).toBe(false);
  });
});

describe('loginTarget', () => {
  const HOME = { kind: 'tab', url: '/pages/index/index' };
  it('goes home without a redirect', () => {
    expect(loginTarget(undefined)).toEqual(HOME);
    expect(loginTarget(null)).toEqual(HOME);
    expect(loginTarget('')).toEqual(HOME);
  });
  it('switches to a tab page, without its query', () => {
    expect(loginTarget('/pages/mine/index')).toEqual({ kind: 'tab', url: '/pages/mine/index' });
    expect(loginTarget('/pages/cart/index?from=x')).toEqual({ kind: 'tab', url: '/pages/cart/index' });
  });
  it('redirects to another page with its query', () => {
    expect(loginTarget('/pages/product/index?id=prd_1')).toEqual({ kind: 'page', url: '/pages/product/index?id=prd_1' });
    expect(loginTarget('pages/order/index?id=o1')).toEqual({ kind: 'page', url: '/pages/order/index?id=o1' });
  });
  it('decodes a still-encoded redirect (what ensureLogin sends)', () => {
    expect(loginTarget('%2Fpages%2Fproduct%2Findex%3Fid%3Dprd_1')).toEqual({ kind: 'page', url: '/pages/product/index?id=prd_1' });
    expect(loginTarget('%2Fpages%2Fcart%2Findex')).toEqual({ kind: 'tab', url: '/pages/cart/index' });
  });
  it('tolerates a doubled leading slash (an H5 route already starts with one)', () => {
    expect(loginTarget('//pages/coupons/index')).toEqual({ kind: 'page', url: '/pages/coupons/index' });
    expect(loginTarget('%2F%2Fpages%2Fteam%2Findex%3Fid%3Dgbt_1')).toEqual({ kind: 'page', url: '/pages/team/index?id=gbt_1' });
  });
  it('never goes back to the login page, another site or an unknown path', () => {
    expect(loginTarget('/pages/login/index?redirect=x')).toEqual(HOME);
    expect(loginTarget('https://evil.example/pages/a/index')).toEqual(HOME);
    expect(loginTarget('//evil.example/pages/a/index')).toEqual(HOME);
    expect(loginTarget('/admin')).toEqual(HOME);
    expect(loginTarget('%2F%E0%A4%A')).toEqual(HOME);
  });
});
