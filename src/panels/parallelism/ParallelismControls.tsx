// The virtual GPUs' controls, each bound to a shared setting so a link reproduces the cut; labels,
// ranges and option texts come from the settings schema.
import { useLabStore } from '../../state/labStore';
import { SettingControl } from '../shared/SettingControl';

export function ParallelismControls({ hasRun, layers }: { hasRun: boolean; layers: number }) {
  const s = useLabStore((st) => st.settings);
  const random = s.parSource === 'random';
  return (
    <div className="par-controls" data-testid="par-controls">
      <SettingControl
        setting="parSource"
        idPrefix="par"
        choices={[
          ['model', `the trained model${hasRun ? ' (last run)' : ' (needs a run)'}`],
          ['random', 'a random layer stack'],
        ]}
      />
      {!random && layers > 1 && (
        <SettingControl
          setting="vizLayer"
          idPrefix="par"
          max={layers - 1}
          choices={Array.from({ length: layers }, (_, l) => [l, `layer ${l}`] as const)}
        />
      )}
      <SettingControl setting="gpus" idPrefix="par" />
      <SettingControl setting="strategy" idPrefix="par" />
      {s.strategy === 'tp-ep' && (
        <SettingControl
          setting="parTp"
          idPrefix="par"
          note={`${Number(s.gpus) / Number(s.parTp)} expert groups`}
        />
      )}
      {s.strategy !== 'tp' && s.strategy !== 'pp' && (
        <SettingControl setting="placement" idPrefix="par" />
      )}
      {s.strategy === 'pp' && <SettingControl setting="microBatches" idPrefix="par" />}
      {random ? (
        <>
          <SettingControl setting="parExperts" idPrefix="par" />
          <SettingControl setting="parTopK" idPrefix="par" max={s.parExperts} />
          <SettingControl setting="parBatch" idPrefix="par" />
          <SettingControl setting="parSkew" idPrefix="par" />
        </>
      ) : (
        <p className="muted par-note">
          On the trained model the batch is the last run&apos;s tokens and the routing is the
          model&apos;s own; run the random stack to set the batch and dial routing skew.
        </p>
      )}
      <SettingControl setting="interconnect" idPrefix="par" />
    </div>
  );
}
