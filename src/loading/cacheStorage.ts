// The slice of the Cache API the loader uses, so that the real `caches` (browser, worker) and the
// in-memory stand-in below are interchangeable. The stand-in is not only for tests: `caches` is
// undefined outside secure contexts (a lab PC opening http://192.168.x.y:4173/), and then the lab
// still loads, it just cannot keep the pack for next time.

export interface CacheLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
  delete(request: string): Promise<boolean>;
  keys(): Promise<readonly Request[]>;
}

export interface CacheStorageLike {
  open(name: string): Promise<CacheLike>;
  keys(): Promise<string[]>;
  delete(name: string): Promise<boolean>;
}

/** The browser's Cache API when this context has one, else null. */
export function browserCaches(): CacheStorageLike | null {
  const c = (globalThis as { caches?: CacheStorage }).caches;
  return c && typeof c.open === 'function' ? c : null;
}

type Stored = { body: Uint8Array; headers: [string, string][]; status: number };

class MemoryCache implements CacheLike {
  readonly entries = new Map<string, Stored>();

  async match(request: string): Promise<Response | undefined> {
    const e = this.entries.get(request);
    if (!e) return undefined;
    return new Response(e.body.slice() as Uint8Array<ArrayBuffer>, {
      status: e.status,
      headers: e.headers,
    });
  }

  async put(request: string, response: Response): Promise<void> {
    const body = new Uint8Array(await response.arrayBuffer());
    this.entries.set(request, { body, headers: [...response.headers], status: response.status });
  }

  async delete(request: string): Promise<boolean> {
    return this.entries.delete(request);
  }

  async keys(): Promise<readonly Request[]> {
    return [...this.entries.keys()].map((k) => new Request(k));
  }
}

/** A CacheStorage that lives as long as the page (or the test). */
export class MemoryCacheStorage implements CacheStorageLike {
  private readonly caches = new Map<string, MemoryCache>();

  async open(name: string): Promise<CacheLike> {
    let c = this.caches.get(name);
    if (!c) this.caches.set(name, (c = new MemoryCache()));
    return c;
  }

  async keys(): Promise<string[]> {
    return [...this.caches.keys()];
  }

  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name);
  }
}
