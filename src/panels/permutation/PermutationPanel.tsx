import { PanelPending } from '../PanelPending';

export default function PermutationPanel() {
  return (
    <PanelPending
      needs="the align-and-sort kernel's buffers from a real run"
      shows={[
        'counts per expert, padded counts and their prefix sum',
        'expert ids per block and sorted ids with padding slots',
        'the CSR (indptr) view of the same data',
      ]}
    />
  );
}
