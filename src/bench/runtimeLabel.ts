// The browser a benchmark ran in, in words ("Chrome 131 on Linux"), from a user-agent string:
// enough to tell laptops apart in a class, without shipping the whole string.
export function runtimeLabel(userAgent: string): string {
  const browser =
    match(userAgent, /Edg\/(\d+)/, 'Edge') ??
    match(userAgent, /OPR\/(\d+)/, 'Opera') ??
    match(userAgent, /Firefox\/(\d+)/, 'Firefox') ??
    match(userAgent, /HeadlessChrome\/(\d+)/, 'Headless Chrome') ??
    match(userAgent, /Chrom(?:e|ium)\/(\d+)/, 'Chrome') ??
    match(userAgent, /Version\/(\d+)[\d.]* .*Safari\//, 'Safari') ??
    'a browser';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /CrOS/.test(userAgent)
            ? 'ChromeOS'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : 'an unknown OS';
  return `${browser} on ${os}`;
}

function match(ua: string, re: RegExp, name: string): string | null {
  const m = re.exec(ua);
  return m ? `${name} ${m[1]}` : null;
}
