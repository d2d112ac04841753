// Live figures a chapter's text refers to, computed from the loaded model and its last run:
// how much of the expert FFN a token uses (chapter 1), the auxiliary loss per layer (chapter 5).
import { useRunStore } from '../../engine/runStore';
import { activeExpertShare } from '../../lesson/activeShare';
import { auxLoss } from '../../lesson/auxLoss';
import type { Chapter } from '../../lesson/chapters';

function ActiveShare() {
  const config = useRunStore((s) => s.config);
  const knobs = useRunStore((s) => s.knobs);
  // Held in place while the model loads, so what sits below (the scenarios) moves less when the
  // figures arrive.
  if (!config)
    return (
      <p className="lesson-fact muted" data-testid="lesson-fact-pending">
        This model: its figures appear once it has loaded.
      </p>
    );
  const k = knobs?.topK ?? config.topK;
  const share = activeExpertShare(config.experts, config.expertFfn, k);
  return (
    <p className="lesson-fact" data-testid="lesson-fact">
      This model: {config.experts} experts of {config.expertFfn} neurons each; with top-{k} a token
      runs {share.active} of the {share.total} expert neurons ({share.percent}%) — a dense FFN that
      wide would run them all.
    </p>
  );
}

function AuxLoss() {
  const steps = useRunStore((s) => s.steps);
  const layers = steps[0]?.layers ?? [];
  const values = layers.map((l) => auxLoss(l));
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return (
    <p className="lesson-fact" data-testid="lesson-fact">
      Auxiliary loss of the last run’s prompt, per MoE layer:{' '}
      {values.map((v, i) => (
        <span key={i} data-testid="aux-loss" data-value={v!}>
          {i > 0 ? ', ' : ''}layer {layers[i]!.layer}: <strong>{v!.toFixed(2)}</strong>
        </span>
      ))}{' '}
      (1 = balanced).
    </p>
  );
}

export function ChapterFacts({ chapter }: { chapter: Chapter }) {
  if (chapter.id === 'dense-vs-moe') return <ActiveShare />;
  if (chapter.id === 'load-balance') return <AuxLoss />;
  return null;
}
