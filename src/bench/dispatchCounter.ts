// Counts compute dispatches issued by anything on the page (our kernels and onnxruntime-web's
// WebGPU EP alike) by wrapping GPUComputePassEncoder's dispatch methods while a count is open.
// ORT builds its passes through the same JS WebGPU objects, so one counter serves both sides.

type PassProto = {
  dispatchWorkgroups: (...a: unknown[]) => void;
  dispatchWorkgroupsIndirect: (...a: unknown[]) => void;
};

export class DispatchCounter {
  dispatches = 0;
  private readonly proto: PassProto | null;
  private readonly saved: PassProto | null;

  /** `device` finds the pass prototype (globals differ between the browser and Dawn-in-Node). */
  private constructor(device: GPUDevice) {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.end();
    enc.finish();
    this.proto = Object.getPrototypeOf(pass) as PassProto;
    this.saved = {
      dispatchWorkgroups: this.proto.dispatchWorkgroups,
      dispatchWorkgroupsIndirect: this.proto.dispatchWorkgroupsIndirect,
    };
    const saved = this.saved;
    const count = () => this.dispatches++;
    this.proto.dispatchWorkgroups = function (this: unknown, ...a: unknown[]) {
      count();
      return saved.dispatchWorkgroups.apply(this, a);
    };
    this.proto.dispatchWorkgroupsIndirect = function (this: unknown, ...a: unknown[]) {
      count();
      return saved.dispatchWorkgroupsIndirect.apply(this, a);
    };
  }

  /** Starts counting; call `stop()` (in a finally) to restore the originals. */
  static start(device: GPUDevice): DispatchCounter {
    return new DispatchCounter(device);
  }

  /** Dispatches since the last take. */
  take(): number {
    const n = this.dispatches;
    this.dispatches = 0;
    return n;
  }

  stop(): void {
    if (this.proto && this.saved) Object.assign(this.proto, this.saved);
  }
}
