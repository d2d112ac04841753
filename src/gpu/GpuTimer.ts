// Optional per-pass GPU timing with `timestamp-query`, in one tidy class. On a device
// without the feature every method is a no-op and `read()` resolves to null, so callers
// never branch on it.

export class GpuTimer {
  private readonly querySet: GPUQuerySet | null;
  private readonly resolveBuffer: GPUBuffer | null;
  private readonly readBuffer: GPUBuffer | null;
  private readonly labels: string[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly capacity = 64,
  ) {
    if (!device.features.has('timestamp-query')) {
      this.querySet = this.resolveBuffer = this.readBuffer = null;
      return;
    }
    this.querySet = device.createQuerySet({ type: 'timestamp', count: capacity * 2 });
    this.resolveBuffer = device.createBuffer({
      size: capacity * 2 * 8,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    this.readBuffer = device.createBuffer({
      size: capacity * 2 * 8,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
  }

  get enabled(): boolean {
    return this.querySet !== null;
  }

  /** Descriptor fragment for a compute pass; spread into `beginComputePass`. */
  pass(label: string): Pick<GPUComputePassDescriptor, 'timestampWrites' | 'label'> {
    if (!this.querySet || this.labels.length >= this.capacity) return { label };
    const i = this.labels.push(label) - 1;
    return {
      label,
      timestampWrites: {
        querySet: this.querySet,
        beginningOfPassWriteIndex: 2 * i,
        endOfPassWriteIndex: 2 * i + 1,
      },
    };
  }

  /** Call once after the timed passes, before `queue.submit`. */
  resolve(encoder: GPUCommandEncoder): void {
    if (!this.querySet || !this.resolveBuffer || !this.readBuffer || this.labels.length === 0)
      return;
    const n = this.labels.length * 2;
    encoder.resolveQuerySet(this.querySet, 0, n, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, this.readBuffer, 0, n * 8);
  }

  /** Milliseconds per labelled pass, in order; null where the device has no timestamps. */
  async read(): Promise<{ label: string; ms: number }[] | null> {
    if (!this.readBuffer || this.labels.length === 0) return null;
    await this.readBuffer.mapAsync(GPUMapMode.READ);
    const ticks = new BigInt64Array(this.readBuffer.getMappedRange().slice(0));
    this.readBuffer.unmap();
    const out = this.labels.map((label, i) => ({
      label,
      ms: Number(ticks[2 * i + 1]! - ticks[2 * i]!) / 1e6,
    }));
    this.labels.length = 0;
    return out;
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolveBuffer?.destroy();
    this.readBuffer?.destroy();
  }
}
