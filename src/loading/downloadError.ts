// The one error type the loader throws: its message is written for the person at the keyboard
// (which file, what happened, what was tried, what to do); its fields are for the UI.

export type DownloadFailure =
  | 'network' // could not connect, connection lost, stalled
  | 'http' // the server answered with an error status
  | 'size' // the file is not the size the pack says
  | 'checksum' // the file's sha256 is not the one the pack says
  | 'cancelled'; // the user (or a newer load) cancelled it

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    readonly file: string,
    readonly failure: DownloadFailure,
    /** Loading again may help (false for a missing file). */
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return (
    signal?.aborted === true ||
    (err instanceof DOMException && err.name === 'AbortError') ||
    (err instanceof DownloadError && err.failure === 'cancelled')
  );
}
