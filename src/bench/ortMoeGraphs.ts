// The same MoE layer as onnxruntime-web graphs, for the benchmark's baselines:
//  - denseMaskedMoeGraph: standard ONNX ops only. Every expert runs on every token
//    (batched MatMul over [E, D, I]) and the router's top-k gates mask the sum — what a framework
//    without an MoE op does.
//  - qmoeGraph: onnxruntime's own contrib op `com.microsoft.QMoE` (4-bit block-quantised weights,
//    SwiGLU with gate/up interleaved in fc1), the router's MatMul in front of it.
// Weights are graph inputs, so the benchmark feeds GPU buffers that stay on the device.
import type { MoeConfig } from '../kernels/types';
import { int64s, serializeModel, type OnnxNode } from './onnx/model';

const OPSET = { domain: '', version: 17 };

export function denseMaskedMoeGraph(c: MoeConfig): Uint8Array {
  if (c.scoring !== 'softmax' || c.sharedI)
    throw new Error('the dense-masked graph covers softmax routing without a shared expert');
  const n = (op: string, inputs: string[], outputs: string[], attrs?: OnnxNode['attrs']) => ({
    op,
    inputs,
    outputs,
    attrs,
  });
  const nodes: OnnxNode[] = [
    n('MatMul', ['x', 'Wr'], ['logits']),
    n('Softmax', ['logits'], ['probs'], { axis: -1 }),
    n('TopK', ['probs', 'k'], ['topv', 'topi'], { axis: -1 }),
    // Gates without a scatter: keep the probabilities at or above the k-th largest.
    n('Slice', ['topv', 'kMinus1', 'k', 'lastAxis'], ['kth']),
    n('GreaterOrEqual', ['probs', 'kth'], ['chosen']),
    n('Cast', ['chosen'], ['chosenF'], { to: 1 }),
    n('Mul', ['probs', 'chosenF'], ['kept']),
    ...(c.renormalize
      ? [
          n('ReduceSum', ['kept', 'lastAxis'], ['keptSum'], { keepdims: 1 }),
          n('Div', ['kept', 'keptSum'], ['gates']),
        ]
      : [n('Identity', ['kept'], ['gates'])]),
    // Every expert on every token: [T, D] · [E, D, I] → [E, T, I].
    n('MatMul', ['x', 'W1'], ['h1']),
    n('MatMul', ['x', 'W3'], ['h3']),
    n('Sigmoid', ['h1'], ['sig']),
    n('Mul', ['h1', 'sig'], ['silu']),
    n('Mul', ['silu', 'h3'], ['act']),
    n('Transpose', ['gates'], ['gatesET'], { perm: [1, 0] }),
    n('Unsqueeze', ['gatesET', 'lastAxis'], ['gatesET1']),
    n('Mul', ['act', 'gatesET1'], ['actGated']),
    n('MatMul', ['actGated', 'W2'], ['perExpert']),
    n('ReduceSum', ['perExpert', 'firstAxis'], ['y'], { keepdims: 0 }),
  ];
  return serializeModel({
    name: 'moe_dense_masked',
    nodes,
    inputs: [
      { name: 'x', type: 'float', dims: ['T', c.D] },
      { name: 'Wr', type: 'float', dims: [c.D, c.E] },
      { name: 'W1', type: 'float', dims: [c.E, c.D, c.I] },
      { name: 'W3', type: 'float', dims: [c.E, c.D, c.I] },
      { name: 'W2', type: 'float', dims: [c.E, c.I, c.D] },
    ],
    outputs: [{ name: 'y', type: 'float', dims: ['T', c.D] }],
    initializers: [
      { name: 'k', type: 'int64', dims: [1], data: int64s(c.k) },
      { name: 'kMinus1', type: 'int64', dims: [1], data: int64s(c.k - 1) },
      { name: 'lastAxis', type: 'int64', dims: [1], data: int64s(-1) },
      { name: 'firstAxis', type: 'int64', dims: [1], data: int64s(0) },
    ],
    opsets: [OPSET],
  });
}

/**
 * The 4-bit block size QMoE runs this shape with (the largest of 32, 16 dividing D and I), or
 * why it cannot run it in onnxruntime-web 1.30.
 */
export function qmoeSupport(
  c: Pick<MoeConfig, 'D' | 'I'>,
): { blockSize: 32 | 16 } | { reason: string } {
  // ORT tells its old [E, I, D/2] fc2 layout from the current [E, D, I/2] by shape; at I = 2·D
  // the two read alike and 1.30 rejects the scales (checked: "expected {E, D, 1}").
  if (c.I === 2 * c.D) return { reason: 'QMoE in onnxruntime-web 1.30 misreads I = 2·D shapes' };
  for (const b of [32, 16] as const) if (c.D % b === 0 && c.I % b === 0) return { blockSize: b };
  return { reason: `no 4-bit block of 16 or 32 divides D ${c.D} and I ${c.I}` };
}

export function qmoeGraph(c: MoeConfig, blockSize: number): Uint8Array {
  if (c.scoring !== 'softmax' || !c.renormalize || c.sharedI)
    throw new Error('QMoE covers softmax routing renormalised over the top-k, no shared expert');
  return serializeModel({
    name: 'moe_qmoe',
    nodes: [
      { op: 'MatMul', inputs: ['x', 'Wr'], outputs: ['logits'] },
      {
        op: 'QMoE',
        domain: 'com.microsoft',
        // input, router_probs, fc1 weights, fc1 scales, fc1 bias, fc2 weights, fc2 scales
        inputs: ['x', 'logits', 'fc1', 'fc1Scales', '', 'fc2', 'fc2Scales'],
        outputs: ['y'],
        attrs: {
          k: c.k,
          activation_type: 'swiglu',
          swiglu_fusion: 1, // fc1 rows interleave gate and up: [g0, u0, g1, u1, …]
          // ORT's SwiGLU is g·σ(α·g)·(u + β), clamped at the limit: α 1, β 0, no clamp = SiLU(g)·u.
          activation_alpha: { float: 1 },
          activation_beta: { float: 0 },
          swiglu_limit: { float: 3e38 },
          normalize_routing_weights: 1,
          expert_weight_bits: 4,
          block_size: blockSize,
        },
      },
    ],
    inputs: [
      { name: 'x', type: 'float', dims: ['T', c.D] },
      { name: 'Wr', type: 'float', dims: [c.D, c.E] },
      { name: 'fc1', type: 'uint8', dims: [c.E, 2 * c.I, c.D / 2] },
      { name: 'fc1Scales', type: 'float', dims: [c.E, 2 * c.I, c.D / blockSize] },
      { name: 'fc2', type: 'uint8', dims: [c.E, c.D, c.I / 2] },
      { name: 'fc2Scales', type: 'float', dims: [c.E, c.D, c.I / blockSize] },
    ],
    outputs: [{ name: 'y', type: 'float', dims: ['T', c.D] }],
    opsets: [OPSET, { domain: 'com.microsoft', version: 1 }],
  });
}
