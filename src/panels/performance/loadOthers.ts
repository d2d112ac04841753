// Opening results to compare with: a JSON file from another machine, or a committed real-GPU run.
// Every file is checked against the report schema first (reportSchema.ts): a bad file gets a
// message naming the file and the field and leaves what is on screen as it was.
import type { ReferenceRun } from '../../bench/referenceRuns';
import { FileFormatError } from '../../loading/fileSchema';
import { useBenchStore } from './benchStore';
import { parseReportFile } from './reportSchema';

const MAX_FILE_BYTES = 20 * 2 ** 20;

function show(source: string, text: string): void {
  try {
    useBenchStore.setState({
      others: { source, reports: parseReportFile(text, source) },
      othersError: null,
    });
  } catch (err) {
    useBenchStore.setState({
      othersError:
        err instanceof FileFormatError
          ? `${err.message}. Open a result file saved with Download JSON or written by \`npm run bench -- --json\`.`
          : `${source}: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

export async function openResultFile(file: File): Promise<void> {
  if (file.size > MAX_FILE_BYTES) {
    useBenchStore.setState({
      othersError: `${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MB; a benchmark result is well under 1 MB.`,
    });
    return;
  }
  show(file.name, await file.text());
}

export async function openReferenceRun(run: ReferenceRun): Promise<void> {
  try {
    const res = await fetch(run.url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    show(run.label, await res.text());
  } catch (err) {
    useBenchStore.setState({
      othersError: `${run.label} could not be loaded (${err instanceof Error ? err.message : String(err)}).`,
    });
  }
}
