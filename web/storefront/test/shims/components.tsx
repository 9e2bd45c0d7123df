// DOM stand-ins for @tarojs/components in component tests. They keep Taro's event shapes
// (Input's onInput gets { detail: { value } }), so components run unchanged.
import { createElement, type ReactNode } from 'react';

type P = Record<string, unknown> & { children?: ReactNode; className?: string };

function strip(props: P) {
  const {
    hoverClass: _h,
    catchMove: _c,
    scrollY: _sy,
    scrollX: _sx,
    mode: _m,
    lazyLoad: _l,
    indicatorDots: _i,
    autoplay: _a,
    circular: _ci,
    ...rest
  } = props;
  return rest;
}
const make = (tag: string) => (props: P) => createElement(tag, strip(props), props.children);

export const View = make('div');
export const Text = make('span');
export const ScrollView = make('div');
export const Swiper = make('div');
export const SwiperItem = make('div');
export const Label = make('label');
export const Form = make('form');
export const Image = (props: P) => createElement('img', { ...strip(props), children: undefined });
export const Button = (props: P) => {
  const { disabled, loading: _loading, size: _size, type: _type, formType: _f, openType: _o, ...rest } = strip(props);
  return createElement('button', { ...rest, disabled: !!disabled, type: 'button' }, props.children);
};
export const Input = (props: P) => {
  const { onInput, onConfirm, value, type, placeholder, disabled, maxlength, ...rest } = strip(props) as P & {
    onInput?: (e: { detail: { value: string } }) => void;
    onConfirm?: (e: { detail: { value: string } }) => void;
  };
  return createElement('input', {
    ...rest,
    type: type === 'number' || type === 'digit' ? 'text' : ((type as string) ?? 'text'),
    placeholder,
    disabled,
    maxLength: maxlength,
    value: value ?? '',
    onChange: (e: { target: { value: string } }) => onInput?.({ detail: { value: e.target.value } }),
    onKeyDown: (e: { key: string; target: { value: string } }) => e.key === 'Enter' && onConfirm?.({ detail: { value: e.target.value } }),
  });
};
export const Textarea = (props: P) => {
  const { onInput, value, ...rest } = strip(props) as P & { onInput?: (e: { detail: { value: string } }) => void };
  return createElement('textarea', {
    ...rest,
    value: value ?? '',
    onChange: (e: { target: { value: string } }) => onInput?.({ detail: { value: e.target.value } }),
  });
};
