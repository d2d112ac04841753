import { describe, expect, it } from 'vitest';
import { runtimeLabel } from './runtimeLabel';

describe('runtimeLabel', () => {
  it('names the browser and OS from common user agents', () => {
    expect(
      runtimeLabel(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36',
      ),
    ).toBe('Headless Chrome 142 on Linux');
    expect(
      runtimeLabel(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      ),
    ).toBe('Edge 131 on Windows');
    expect(
      runtimeLabel(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
      ),
    ).toBe('Safari 26 on macOS');
    expect(
      runtimeLabel('Mozilla/5.0 (X11; Linux x86_64; rv:141.0) Gecko/20100101 Firefox/141.0'),
    ).toBe('Firefox 141 on Linux');
    expect(runtimeLabel('')).toBe('a browser on an unknown OS');
  });
});
