// A project's own model options on every call of its turns (chat turns and each build step):
// its temperature replaces the step's own, its system prompt follows MACS's (ours first, so the
// rules that make the answer parseable stay on top; the user's add to them, never replace them).
import type { ProjectModelOptions } from '../../../shared/index.js';
import type { ChatMessage, ChatRequest, ChatProvider } from '../llm/index.js';

/** The heading the project's prompt is appended under, so the model sees where MACS's ends. */
export const PROJECT_PROMPT_HEADING = "This project's instructions from the user:";

export function hasModelOptions(o: ProjectModelOptions | null | undefined): o is ProjectModelOptions {
  return !!o && (o.temperature !== null || o.systemPrompt.trim() !== '');
}

/** The request as the project's options make it (unchanged without options). */
export function applyModelOptions(request: ChatRequest, o: ProjectModelOptions | null | undefined): ChatRequest {
  if (!hasModelOptions(o)) return request;
  const next: ChatRequest = { ...request };
  if (o.temperature !== null) next.temperature = o.temperature;
  const extra = o.systemPrompt.trim();
  if (extra) next.messages = withSystemPrompt(request.messages, extra);
  return next;
}

function withSystemPrompt(messages: ChatMessage[], extra: string): ChatMessage[] {
  const appended = `${PROJECT_PROMPT_HEADING}\n${extra}`;
  const i = messages.findIndex((m) => m.role === 'system');
  if (i < 0) return [{ role: 'system', content: appended }, ...messages];
  return messages.map((m, j) => (j === i ? { ...m, content: `${m.content}\n\n${appended}` } : m));
}

/** The provider a turn of this project talks to: each chat call carries the project's options. */
export function withModelOptions<P extends ChatProvider>(provider: P, o: ProjectModelOptions | null | undefined): P {
  if (!hasModelOptions(o)) return provider;
  const options = { temperature: o.temperature, systemPrompt: o.systemPrompt };
  return new Proxy(provider, {
    get(target, prop, receiver) {
      if (prop === 'chatStream') return (request: ChatRequest) => target.chatStream(applyModelOptions(request, options));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
