import { describe, expect, it } from 'vitest';
import { mediaUrl } from '@/lib/media';

describe('mediaUrl', () => {
  it('puts API-relative media paths on the API host the build calls', () => {
    expect(mediaUrl('/media/img/a.png')).toBe('http://api.test/media/img/a.png');
    expect(mediaUrl('media/img/a.png', 'https://shop.example.com/')).toBe('https://shop.example.com/media/img/a.png');
  });
  it('keeps absolute URLs', () => {
    expect(mediaUrl('https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
    expect(mediaUrl('http://localhost:8787/media/a.png', 'https://x')).toBe('http://localhost:8787/media/a.png');
  });
});
