// Checks that a built site keeps its strict Content-Security-Policy promises (issue 11):
// - index.html carries a CSP <meta> with script-src 'self' 'wasm-unsafe-eval', object-src 'none',
//   base-uri 'self', connect-src 'self', no 'unsafe-inline' / 'unsafe-eval', no other host;
// - no inline <script>, no inline event handler, no javascript: URL, nothing from another host;
// - the app's own JavaScript (dist/assets, dist/sw.js) has no eval( / new Function( / Function("…").
// onnxruntime-web's runtime (dist/ort) is reported, not failed: its embind glue contains one
// `new Function` (see docs/hosting.md); it runs in the engine's worker, outside the page's policy.
//   node scripts/check-csp.mjs [distDir]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const problems = [];
const notes = [];

if (!existsSync(join(dist, 'index.html'))) {
  console.error(`check-csp: ${dist}/index.html is missing; build first.`);
  process.exit(1);
}
const html = readFileSync(join(dist, 'index.html'), 'utf8');

// --- the policy
const metas = [...html.matchAll(/<meta\s[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>/gi)];
if (metas.length !== 1) problems.push(`index.html: expected one CSP <meta>, found ${metas.length}`);
const attr = metas[0] ? /content=(?:"([^"]*)"|'([^']*)')/i.exec(metas[0][0]) : null;
const content = (attr?.[1] ?? attr?.[2] ?? '')
  .replace(/&#39;|&apos;/g, "'")
  .replace(/&quot;/g, '"');
const policy = new Map(
  content
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((t) => t[0])
    .map(([name, ...sources]) => [name.toLowerCase(), sources]),
);
const expectExactly = (name, want) => {
  const got = policy.get(name);
  if (!got || got.slice().sort().join(' ') !== want.slice().sort().join(' '))
    problems.push(`CSP ${name}: expected "${want.join(' ')}", got "${got?.join(' ') ?? '(none)'}"`);
};
expectExactly('default-src', ["'self'"]);
expectExactly('script-src', ["'self'", "'wasm-unsafe-eval'"]);
expectExactly('connect-src', ["'self'"]);
expectExactly('object-src', ["'none'"]);
expectExactly('base-uri', ["'self'"]);
const KEYWORDS = new Set(["'self'", "'none'", "'wasm-unsafe-eval'"]);
for (const [name, sources] of policy) {
  for (const s of sources) {
    if (KEYWORDS.has(s)) continue;
    if ((s === 'data:' || s === 'blob:') && name === 'img-src') continue;
    problems.push(`CSP ${name}: source ${s} is not allowed (only the site itself)`);
  }
}
if (html.indexOf('http-equiv="Content-Security-Policy"') > html.search(/<script|<link/i))
  problems.push('index.html: the CSP <meta> must come before every <script> and <link>');

// --- the page
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (!/\ssrc=/.test(m[1])) problems.push(`index.html: inline <script>: ${m[0].slice(0, 80)}`);
  else if (m[2].trim()) problems.push('index.html: a <script src> with inline content');
}
for (const m of html.matchAll(/<[^>]+\son[a-z]+\s*=/gi))
  problems.push(`index.html: inline event handler: ${m[0].slice(0, 80)}`);
if (/javascript:/i.test(html)) problems.push('index.html: a javascript: URL');
for (const m of html.matchAll(/\s(?:src|href)=["']((?:https?:)?\/\/[^"']*)["']/gi))
  problems.push(`index.html: loads from another host: ${m[1]}`);

// --- the code
const DYNAMIC_CODE = [
  [/(?<![\w$.])eval\s*\(/g, 'eval('],
  [/\bnew\s+Function\s*\(/g, 'new Function('],
  [/(?<![\w$.])Function\s*\(\s*["'`]/g, 'Function("…")'],
  [/\bset(?:Timeout|Interval)\s*\(\s*["'`]/g, 'setTimeout("…")'],
];
function scan(file) {
  const code = readFileSync(file, 'utf8');
  const found = [];
  for (const [re, what] of DYNAMIC_CODE)
    for (const m of code.matchAll(re))
      found.push(
        `${file}: ${what} at ${m.index}: …${code.slice(Math.max(0, m.index - 60), m.index + 60).replace(/\s+/g, ' ')}…`,
      );
  return found;
}
const jsIn = (dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.(m?js)$/.test(f))
        .map((f) => join(dir, f))
    : [];
const own = [...jsIn(join(dist, 'assets')), ...jsIn(dist)];
for (const f of own) problems.push(...scan(f));
const ort = jsIn(join(dist, 'ort'));
for (const f of ort) notes.push(...scan(f));

console.log(
  `check-csp: ${dist}/index.html policy "${content}"; scanned ${own.length} app scripts, ${ort.length} onnxruntime-web scripts`,
);
for (const n of notes) console.log(`  note (onnxruntime-web, not failed): ${n}`);
if (problems.length) {
  for (const p of problems) console.error(`  ✗ ${p}`);
  process.exit(1);
}
console.log('check-csp: ok');
