// GPU presets from the vendors' data sheets: memory, HBM bandwidth, dense tensor throughput
// (no 2:4 sparsity) and the three fabrics a GPU can talk over. The align and launch terms
// are measurements, with the measurement cited next to each.
import type { HardwareSpec, LinkSpec } from './types';

const link = (name: string, gbPerS: number, latencyUs: number): LinkSpec => ({
  name,
  gbPerS,
  latencyUs,
});

// Per-hop latencies: NCCL's small-message all-reduce on 8 NVLink GPUs takes ~10–15 µs, i.e.
// under 1 µs per ring step; PCIe peer copies and RDMA verbs are a few µs per hop.
const NVLINK3 = link('NVLink 3 (600 GB/s bidirectional)', 300, 0.8);
const NVLINK4 = link('NVLink 4 (900 GB/s bidirectional)', 450, 0.7);
const NVLINK_H800 = link('NVLink (H800, 400 GB/s bidirectional)', 200, 0.7);
const NVLINK5 = link('NVLink 5 (1.8 TB/s bidirectional)', 900, 0.6);
const PCIE4 = link('PCIe 4.0 x16', 32, 1.5);
const PCIE5 = link('PCIe 5.0 x16', 64, 1.5);
const IB_HDR = link('InfiniBand HDR 200 Gb/s per GPU', 25, 4);
const IB_NDR = link('InfiniBand NDR 400 Gb/s per GPU', 50, 4);

/** Kernel launch inside a CUDA/HIP graph: the DESIGN's measured 2.5–3.3 µs per dispatch. */
const LAUNCH_US = 2.5;
/** vLLM moe_align_block_size costs ~20–27 µs per isolated call at small batch (DESIGN.md). */
const ISOLATED_CALL_US = 20;

export const HARDWARE: readonly HardwareSpec[] = [
  {
    id: 'a100-40gb',
    name: 'NVIDIA A100 SXM 40 GB',
    memoryGB: 40,
    hbmTBs: 1.555,
    bf16Tflops: 312,
    fp8Tflops: 0,
    nodeSize: 8,
    nvlink: NVLINK3,
    pcie: PCIE4,
    infiniband: IB_HDR,
    kernelLaunchUs: LAUNCH_US,
    isolatedCallUs: ISOLATED_CALL_US,
    alignNsPerPair: 0.371,
    vendor: 'nvidia',
    source:
      'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
  },
  {
    id: 'a100-80gb',
    name: 'NVIDIA A100 SXM 80 GB',
    memoryGB: 80,
    hbmTBs: 2.039,
    bf16Tflops: 312,
    fp8Tflops: 0,
    nodeSize: 8,
    nvlink: NVLINK3,
    pcie: PCIE4,
    infiniband: IB_HDR,
    kernelLaunchUs: LAUNCH_US,
    isolatedCallUs: ISOLATED_CALL_US,
    // SGLang align blog, A100: 32768×128 tokens × top-8 in 12 450 µs → 0.371 ns per pair.
    alignNsPerPair: 0.371,
    vendor: 'nvidia',
    source:
      'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
  },
  {
    id: 'h100-sxm',
    name: 'NVIDIA H100 SXM 80 GB',
    memoryGB: 80,
    hbmTBs: 3.35,
    bf16Tflops: 989,
    fp8Tflops: 1979,
    nodeSize: 8,
    nvlink: NVLINK4,
    pcie: PCIE5,
    infiniband: IB_NDR,
    kernelLaunchUs: LAUNCH_US,
    isolatedCallUs: ISOLATED_CALL_US,
    // Not measured in the blog; between A100 and H200, scaled by the H200 figure.
    alignNsPerPair: 0.29,
    vendor: 'nvidia',
    source: 'https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet',
  },
  {
    id: 'h800',
    name: 'NVIDIA H800 SXM 80 GB',
    memoryGB: 80,
    hbmTBs: 3.35,
    bf16Tflops: 989,
    fp8Tflops: 1979,
    nodeSize: 8,
    nvlink: NVLINK_H800,
    pcie: PCIE5,
    infiniband: IB_NDR,
    kernelLaunchUs: LAUNCH_US,
    isolatedCallUs: ISOLATED_CALL_US,
    alignNsPerPair: 0.29,
    vendor: 'nvidia',
    source:
      'H100 compute and HBM with NVLink cut to 400 GB/s; DeepSeek-V3 report (arXiv 2412.19437) §3.1 and DeepEP README (CX7 400 Gb/s per GPU)',
  },
  {
    id: 'h200',
    name: 'NVIDIA H200 SXM 141 GB',
    memoryGB: 141,
    hbmTBs: 4.8,
    bf16Tflops: 989,
    fp8Tflops: 1979,
    nodeSize: 8,
    nvlink: NVLINK4,
    pcie: PCIE5,
    infiniband: IB_NDR,
    kernelLaunchUs: LAUNCH_US,
    isolatedCallUs: ISOLATED_CALL_US,
    // SGLang align blog, H200: 32768×128 tokens × top-8 in 9 023 µs → 0.269 ns per pair.
    alignNsPerPair: 0.269,
    vendor: 'nvidia',
    source: 'https://www.nvidia.com/en-us/data-center/h200/',
  },
  {
    id: 'b200',
    name: 'NVIDIA B200 180 GB',
    memoryGB: 180,
    hbmTBs: 8,
    bf16Tflops: 2250,
    fp8Tflops: 4500,
    nodeSize: 8,
    nvlink: NVLINK5,
    pcie: PCIE5,
    infiniband: IB_NDR,
    kernelLaunchUs: LAUNCH_US,
    isolatedCallUs: ISOLATED_CALL_US,
    // Not measured; assumed to scale like H200 → B200 memory bandwidth would suggest, capped.
    alignNsPerPair: 0.2,
    vendor: 'nvidia',
    source: 'https://www.nvidia.com/en-us/data-center/dgx-b200/ (HGX B200: 1.44 TB over 8 GPUs)',
  },
  {
    id: 'mi300x',
    name: 'AMD Instinct MI300X 192 GB',
    memoryGB: 192,
    hbmTBs: 5.3,
    bf16Tflops: 1307,
    fp8Tflops: 2615,
    nodeSize: 8,
    // 7 Infinity Fabric links × 64 GB/s each way to the 7 peers of the platform.
    nvlink: link('Infinity Fabric (7 × 64 GB/s each way)', 448, 1),
    pcie: PCIE5,
    infiniband: IB_NDR,
    kernelLaunchUs: LAUNCH_US,
    isolatedCallUs: ISOLATED_CALL_US,
    // SGLang align blog, MI300X: 32768×128 tokens × top-8 in 13 432 µs → 0.400 ns per pair.
    alignNsPerPair: 0.4,
    vendor: 'amd',
    source:
      'https://www.amd.com/content/dam/amd/en/documents/instinct-tech-docs/data-sheets/amd-instinct-mi300x-data-sheet.pdf',
  },
];

export function hardwareById(id: string): HardwareSpec | undefined {
  return HARDWARE.find((h) => h.id === id);
}
