// Bundle-size budget: the app's own JavaScript in dist/assets (not onnxruntime-web's wasm
// runtime under dist/ort/) must stay within BUDGET_KB gzipped.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 400;
const dir = 'dist/assets';
if (!existsSync(dir)) {
  console.error('check-bundle-size: dist/assets is missing; run `npm run build` first.');
  process.exit(1);
}
let total = 0;
const rows = [];
for (const name of readdirSync(dir)) {
  if (!/\.(m?js)$/.test(name)) continue;
  const gz = gzipSync(readFileSync(join(dir, name)), { level: 9 }).length;
  total += gz;
  rows.push([name, gz]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const [name, gz] of rows.slice(0, 8))
  console.log(`  ${(gz / 1024).toFixed(1).padStart(8)} KB  ${name}`);
const kb = total / 1024;
console.log(
  `bundle: ${kb.toFixed(1)} KB gzipped JavaScript in ${rows.length} files (budget ${BUDGET_KB} KB)`,
);
if (kb > BUDGET_KB) {
  console.error(`bundle over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
  process.exit(1);
}
