import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { validatePack, type ModelPack } from './pack';
import { moeReference } from './moeReference';
import { readPackFiles } from './testing/diskPack';
import { MODEL_RUN_TIMEOUT_MS } from './testing/timeouts';

// The pack's ONNX graphs in onnxruntime-web's wasm backend (Node build), one thread.
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const PACKS = ['mixtral-style', 'fine-grained', 'shared-expert', 'dense'];

function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < want.length; i++) {
    num = Math.max(num, Math.abs(got[i]! - want[i]!));
    den = Math.max(den, Math.abs(want[i]!));
  }
  return num / Math.max(den, 1e-12);
}

const session = (bytes: Uint8Array) =>
  ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
const ids64 = (ids: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);

type Sessions = {
  embed: ort.InferenceSession;
  attn: ort.InferenceSession[];
  head: ort.InferenceSession;
  ref: ort.InferenceSession;
};

/** embed.onnx → per layer attn_l.onnx (with a KV cache) → plain-TS MoE → head.onnx. */
async function runSplit(
  pack: ModelPack,
  s: Sessions,
  ids: number[],
  startPos: number,
  cache: { k: ort.Tensor; v: ort.Tensor }[],
): Promise<{ logits: Float32Array; routes: Int32Array[] }> {
  const c = pack.config;
  const T = ids.length;
  let hidden = (await s.embed.run({ input_ids: ids64(ids) }))['hidden']!;
  const positions = new ort.Tensor(
    'int64',
    BigInt64Array.from(ids.map((_, i) => BigInt(startPos + i))),
    [1, T],
  );
  const routes: Int32Array[] = [];
  for (let l = 0; l < c.layers; l++) {
    const r = await s.attn[l]!.run({
      hidden,
      past_key: cache[l]!.k,
      past_value: cache[l]!.v,
      positions,
    });
    cache[l] = { k: r['present_key']!, v: r['present_value']! };
    const h = r['h']!.data as Float32Array;
    const moe = moeReference(r['moe_in']!.data as Float32Array, T, pack.moe[l]!, c);
    routes.push(moe.topkIds);
    const next = new Float32Array(h.length);
    for (let i = 0; i < h.length; i++) next[i] = h[i]! + moe.out[i]!;
    hidden = new ort.Tensor('float32', next, [1, T, c.hidden]);
  }
  const logits = (await s.head.run({ hidden }))['logits']!.data as Float32Array;
  return { logits, routes };
}

function emptyCache(pack: ModelPack) {
  const c = pack.config;
  return Array.from({ length: c.layers }, () => ({
    k: new ort.Tensor('float32', new Float32Array(0), [1, c.kvHeads, 0, c.headDim]),
    v: new ort.Tensor('float32', new Float32Array(0), [1, c.kvHeads, 0, c.headDim]),
  }));
}

for (const id of PACKS) {
  // Each test runs the model's graphs: limits that hold on a loaded machine.
  describe(
    `${id}: ONNX graphs in onnxruntime-web (wasm)`,
    { timeout: MODEL_RUN_TIMEOUT_MS },
    () => {
      let pack: ModelPack;
      let s: Sessions;

      beforeAll(async () => {
        pack = await validatePack(readPackFiles(id), { verifyHashes: false });
        s = {
          embed: await session(pack.onnx.embed),
          attn: await Promise.all(pack.onnx.attn.map(session)),
          head: await session(pack.onnx.head),
          ref: await session(pack.onnx.reference),
        };
      }, MODEL_RUN_TIMEOUT_MS);

      it('every graph loads with the documented inputs and outputs', () => {
        expect(s.embed.inputNames).toEqual(['input_ids']);
        expect(s.embed.outputNames).toEqual(['hidden']);
        for (const a of s.attn) {
          expect(a.inputNames).toEqual(['hidden', 'past_key', 'past_value', 'positions']);
          expect(a.outputNames).toEqual(['h', 'moe_in', 'present_key', 'present_value']);
        }
        expect(s.head.inputNames).toEqual(['hidden']);
        expect(s.head.outputNames).toEqual(['logits']);
        expect(s.ref.inputNames).toEqual(['input_ids']);
        expect(s.ref.outputNames).toEqual(['logits']);
      });

      it('reference.onnx reproduces the golden logits', async () => {
        const V = pack.config.vocabSize;
        for (const g of pack.golden.prompts) {
          const out = (await s.ref.run({ input_ids: ids64(g.ids) }))['logits']!;
          expect(out.dims).toEqual([1, g.ids.length, V]);
          expect(maxRelErr(out.data as Float32Array, g.logits)).toBeLessThan(1e-4);
        }
        // dynamic batch: two rows give the golden logits twice
        const g = pack.golden.prompts[0]!;
        const two = new ort.Tensor('int64', BigInt64Array.from([...g.ids, ...g.ids].map(BigInt)), [
          2,
          g.ids.length,
        ]);
        const out = (
          (await s.ref.run({ input_ids: two }))['logits']!.data as Float32Array
        ).subarray(g.ids.length * V);
        expect(maxRelErr(out, g.logits)).toBeLessThan(1e-4);
      });

      it('the split path (embed → attn_l → TS MoE → head) reproduces the golden logits and routing', async () => {
        for (const g of pack.golden.prompts) {
          const { logits, routes } = await runSplit(pack, s, g.ids, 0, emptyCache(pack));
          expect(maxRelErr(logits, g.logits)).toBeLessThan(1e-4);
          for (const r of g.routing) expect(Array.from(routes[r.layer]!)).toEqual(r.topkIds.flat());
        }
      });

      it('the KV cache: prefill then token-by-token decode gives the same last logits', async () => {
        const g = pack.golden.prompts[1]!;
        const V = pack.config.vocabSize;
        const cache = emptyCache(pack);
        const split = g.ids.length - 3;
        await runSplit(pack, s, g.ids.slice(0, split), 0, cache);
        let last: Float32Array = new Float32Array(0);
        for (let t = split; t < g.ids.length; t++) {
          last = (await runSplit(pack, s, [g.ids[t]!], t, cache)).logits;
        }
        expect(cache[0]!.k.dims).toEqual([
          1,
          pack.config.kvHeads,
          g.ids.length,
          pack.config.headDim,
        ]);
        expect(maxRelErr(last, g.logits.subarray((g.ids.length - 1) * V))).toBeLessThan(1e-4);
        expect(maxRelErr(last, g.lastLogits)).toBeLessThan(1e-4);
      });

      it('greedy generation through the split path with a KV cache completes the golden prompts and some eval prompts', async () => {
        const tok = pack.tokenizer;
        const V = pack.config.vocabSize;
        const generate = async (prompt: string): Promise<string> => {
          const cache = emptyCache(pack);
          let ids = [tok.bosId, ...tok.encode(prompt)];
          let pos = 0;
          const out: number[] = [];
          for (let step = 0; step < 24; step++) {
            const { logits } = await runSplit(pack, s, ids, pos, cache);
            pos += ids.length;
            const row = logits.subarray(logits.length - V);
            let best = 0;
            for (let v = 1; v < V; v++) if (row[v]! > row[best]!) best = v;
            if (best === tok.eosId) break;
            out.push(best);
            ids = [best];
          }
          return tok.decode(out);
        };
        for (const g of pack.golden.prompts)
          expect(await generate(g.text)).toBe(g.greedyCompletion);
        // two held-out prompts of every skill: a sanity floor, not the measured accuracy (card.json)
        let right = 0;
        let total = 0;
        for (const skill of pack.config.skills) {
          for (const item of pack.evalSets[skill]!.slice(0, 2)) {
            total++;
            if ((await generate(item.prompt)) === item.expected) right++;
          }
        }
        expect(right / total).toBeGreaterThanOrEqual(0.8);
      });
    },
  );
}
