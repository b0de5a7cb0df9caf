import { renderFile } from '../../files/index.js';
import { FOLDER_SYSTEM_PROMPT, type ChatMessage } from '../../llm/index.js';
import type { TurnAccount } from './conversation.js';

/** The folder prompt's rules (edit in place, SEARCH/REPLACE for long files), with the files above the request, not below. */
export const TURN_SYSTEM_PROMPT = FOLDER_SYSTEM_PROMPT.replace(
  'The relevant files are shown below the request.',
  "The project's files are shown first, then the conversation so far; the user's new request comes last.",
);

/** A turn's context, as the model is shown it. */
export interface TurnContextParts {
  /** The files sent, in the order shown (stable: longest unchanged first, then by path). */
  files: ReadonlyArray<{ path: string; content: string }>;
  /** The map of the files not shown ('' when every file is shown). */
  map: string;
  /** Earlier turns kept, oldest first. */
  turns: readonly TurnAccount[];
}

/** The user message holding the project's files and the map of the rest ('' when there is neither). */
function filesMessage(parts: Pick<TurnContextParts, 'files' | 'map'>): string {
  const shown = parts.files.map(renderFile).join('\n\n');
  const blocks = [shown ? `The project's files as they are now:\n\n${shown}` : '', parts.map].filter(Boolean);
  return blocks.join('\n\n');
}

/**
 * The earlier turns as chat messages: each prompt as the user wrote it, then a short
 * account of what the turn did in the assistant's place (never its whole answer: the
 * files it wrote are shown as they are now).
 */
export function historyMessages(turns: readonly TurnAccount[]): ChatMessage[] {
  return turns.flatMap((t): ChatMessage[] => [
    { role: 'user', content: t.prompt },
    { role: 'assistant', content: t.account },
  ]);
}

/**
 * A chat turn's request, what stays the same first (llama.cpp reuses its KV cache for the
 * prefix a request shares with the one before): the system prompt, the project's files in
 * a stable order and the map, the conversation (it only grows, at its end), then the new
 * prompt. The files message is answered with a short acknowledgement so user and assistant
 * messages alternate (as Aider lays out files before its chat history); every chat template
 * renders that the same way.
 */
export function buildTurnMessages(systemPrompt: string, parts: TurnContextParts, prompt: string): ChatMessage[] {
  const files = filesMessage(parts);
  return [
    { role: 'system', content: systemPrompt },
    ...(files ? ([{ role: 'user', content: files }, { role: 'assistant', content: 'I have read the project as it is now.' }] as ChatMessage[]) : []),
    ...historyMessages(parts.turns),
    { role: 'user', content: prompt },
  ];
}

/**
 * The conversation as one block of text, for build prompts (call-layout.ts puts it after the
 * project's files and before the step's instruction). '' for a first turn.
 */
export function conversationBlock(turns: readonly TurnAccount[]): string {
  if (turns.length === 0) return '';
  const lines = turns.map((t) => `Turn ${t.number}, the user asked:\n${t.prompt}\n${t.account}`);
  return `The conversation so far (earlier turns of this project, oldest first):\n\n${lines.join('\n\n')}`;
}
