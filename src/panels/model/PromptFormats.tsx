// Under the prompt box: a hint when the prompt fits none of the loaded pack's formats, what the
// model was trained on, and one chip per skill that inserts a real held-out prompt of it. The
// formats are read from the pack's own evaluation set, as the engine loaded and checked it.
import { useMemo } from 'react';
import { useRunStore } from '../../engine/runStore';
import {
  formatsFromEvalSets,
  promptHint,
  tagWord,
  trainedOnLine,
  type PromptFormat,
} from './promptFormats';
import './promptFormats.css';

function usePackFormats(): PromptFormat[] {
  const config = useRunStore((s) => s.config);
  const evalSets = useRunStore((s) => s.evalSets);
  return useMemo(
    () => (config ? formatsFromEvalSets(evalSets, config.skills) : []),
    [config, evalSets],
  );
}

/** A chip's words: the skill's name, and its tag when the tag is another word. */
function chipLabel(f: PromptFormat): string {
  const tag = tagWord(f.lead);
  return tag === f.skill ? f.skill : `${f.skill} · ${f.lead.trim()}`;
}

export function PromptFormats({
  prompt,
  onPick,
}: {
  prompt: string;
  onPick: (prompt: string) => void;
}) {
  const formats = usePackFormats();
  if (formats.length === 0) return null;
  const hint = promptHint(prompt, formats);
  return (
    <div className="prompt-formats">
      {hint && (
        <p
          className={hint.kind === 'match' ? 'prompt-hint muted' : 'prompt-hint prompt-hint-off'}
          data-testid="prompt-hint"
          data-kind={hint.kind}
        >
          {hint.text}
        </p>
      )}
      <p className="muted prompt-trained-on" data-testid="prompt-trained-on">
        {trainedOnLine(formats)}
      </p>
      <div className="examples" aria-label="Example prompts, one per skill">
        Try a skill:{' '}
        {formats.map((f) => (
          <button
            type="button"
            className="chip"
            key={f.skill}
            data-testid={`prompt-chip-${f.skill}`}
            aria-pressed={hint?.kind === 'match' && hint.format.skill === f.skill}
            title={`A held-out ${f.skill} prompt: “${f.example.prompt.trimEnd()}”, expected answer “${f.example.expected}”`}
            onClick={() => onPick(f.example.prompt)}
          >
            {chipLabel(f)}
          </button>
        ))}
      </div>
    </div>
  );
}
