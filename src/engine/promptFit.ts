// A prompt's token ids as the model will see them, fitted into its context. The prompt is never
// dropped for the answer's sake: a long prompt shortens the answer (and says so); only a prompt
// longer than the whole context loses its beginning. Shared by every generation loop.
import type { TextCodec } from './types';

export function fitPrompt(
  codec: TextCodec,
  prompt: string,
  index: number,
  maxContext: number,
  maxTokens: number,
  notices: string[],
): number[] {
  const bos = codec.bosId !== null ? 1 : 0;
  let ids = codec.encode(prompt);
  const promptRoom = maxContext - 1 - bos;
  if (ids.length > promptRoom) {
    notices.push(
      `Prompt ${index + 1} has ${ids.length} tokens; kept the last ${promptRoom} to fit the ${maxContext}-token context.`,
    );
    ids = ids.slice(ids.length - promptRoom);
  }
  const answerRoom = maxContext - ids.length - bos;
  if (answerRoom < maxTokens)
    notices.push(
      `Prompt ${index + 1} has ${ids.length} tokens, so at most ${answerRoom} of the ${maxTokens} tokens asked for fit the ${maxContext}-token context.`,
    );
  if (codec.bosId !== null) ids = [codec.bosId, ...ids];
  if (ids.length === 0) ids = codec.encode(' ');
  return ids;
}
