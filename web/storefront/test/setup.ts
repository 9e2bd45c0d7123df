import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { resetTaro } from './shims/taro';

afterEach(() => {
  cleanup();
  resetTaro();
});
