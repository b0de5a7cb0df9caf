/**
 * A ChatRequest as a Messages API request body (https://docs.claude.com/en/api/messages), and the
 * answer's stop_reason as the engine's doneReason.
 */
import type { MessageCreateParamsStreaming, MessageParam, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { transformJSONSchema } from '@anthropic-ai/sdk/lib/transform-json-schema';
import type { ChatMessage, ChatRequest } from '../types.js';
import type { ThinkValue } from '../thinking.js';

/** The forced tool whose input is the answer when the caller asked for bare JSON. */
export const ANSWER_TOOL_NAME = 'answer';

/** The docs' floor for extended thinking: budget_tokens ≥ 1024 and < max_tokens (ThinkingConfigEnabled). */
export const MIN_THINKING_BUDGET = 1024;

/**
 * Answer-token caps when the caller set none (max_tokens is required). The numbers are the
 * "max output" column of Anthropic's models overview (docs.claude.com/en/docs/about-claude/models/overview):
 * Claude 3 Haiku/Opus/Sonnet 4,096; Claude 3.5 Haiku/Sonnet 8,192; Opus 4 and 4.1 32,000; every later
 * model (Sonnet 4 and up, Haiku 4.5, Opus 4.5 and up) at least 64,000. The Models API reports the exact
 * figure (max_tokens) and wins when the provider has read it (AnthropicProvider.contextWindow).
 */
export function defaultMaxTokens(model: string): number {
  const m = model.toLowerCase();
  if (/claude-3-7/.test(m)) return 32_000; // 64,000 in the table; 32,000 as for every later model below
  if (/claude-3-5/.test(m)) return 8192;
  if (/claude-3-/.test(m)) return 4096;
  // Opus 4/4.1 and every later or unknown family: 32,000 is within each one's cap.
  return 32_000;
}

/**
 * A Claude model id's version: the first number is the major, the second (not an 8-digit date) the
 * minor — "claude-sonnet-4-6", "claude-haiku-4-5-20251001", "claude-3-7-sonnet-20250219", "claude-sonnet-5".
 */
export function claudeVersion(model: string): { major: number; minor: number } | null {
  const numbers = (model.toLowerCase().match(/\d+/g) ?? []).filter((n) => n.length < 8);
  if (numbers.length === 0) return null;
  return { major: Number(numbers[0]), minor: numbers.length > 1 ? Number(numbers[1]) : 0 };
}

/**
 * Adaptive thinking arrived with Claude 4.6; budget_tokens is deprecated there and refused from
 * Opus 4.7 and the Claude 5 family on ("thinking.type.enabled is not supported for this model. Use
 * thinking.type.adaptive and output_config.effort"). Up to 4.5, and for an id without a version,
 * the budget form.
 */
export function usesAdaptiveThinking(model: string): boolean {
  const v = claudeVersion(model);
  return v !== null && (v.major > 4 || (v.major === 4 && v.minor >= 6));
}

/**
 * Structured outputs (output_config.format) are served from the Claude 4.5 models on (Sonnet 4.5,
 * Haiku 4.5, Opus 4.5 and later; structured-outputs docs, "Supported models"); older models answer
 * it with a 400, and an id without a version may be anything: those get the forced tool, which
 * every tool-using model takes.
 */
export function supportsStructuredOutputs(model: string): boolean {
  const v = claudeVersion(model);
  return v !== null && (v.major > 4 || (v.major === 4 && v.minor >= 5));
}

/** Thinking budgets for Ollama's think levels (true = medium); with adaptive thinking, the room kept for it in max_tokens. */
const BUDGET_OF: Record<'low' | 'medium' | 'high', number> = { low: 2048, medium: 8192, high: 16_384 };

export function thinkingBudget(think: ThinkValue | undefined): number | null {
  if (think === undefined || think === false) return null;
  return BUDGET_OF[think === true ? 'medium' : think];
}

/**
 * The system prompt apart (the API takes it as the top-level `system`, not as a message), and the
 * rest with consecutive same-role turns merged: the API wants user and assistant to alternate
 * ("consecutive user or assistant turns in your request will be combined into a single turn" —
 * merged here so what is sent is what the model reads) and refuses empty text content.
 */
export function toAnthropicMessages(messages: readonly ChatMessage[]): { system: string | undefined; messages: MessageParam[] } {
  const systemParts: string[] = [];
  const out: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  for (const m of messages) {
    if (m.role === 'system') {
      if (m.content.trim() !== '') systemParts.push(m.content);
      continue;
    }
    if (m.content === '') continue;
    const last = out.at(-1);
    if (last && last.role === m.role) last.content = `${last.content}\n\n${m.content}`;
    else out.push({ role: m.role, content: m.content });
  }
  return { system: systemParts.length > 0 ? systemParts.join('\n\n') : undefined, messages: out };
}

/** How the answer is shaped: plain text, text constrained by output_config.format, or the forced tool's input. */
export type AnswerShape = 'text' | 'structured' | 'tool';

export interface BuiltRequest {
  body: MessageCreateParamsStreaming;
  shape: AnswerShape;
}

/**
 * The request body. JSON answers:
 * - a JSON schema goes to structured outputs, `output_config.format = {type:'json_schema', schema}`
 *   (GA; docs.claude.com/en/docs/build-with-claude/structured-outputs): the JSON then streams as
 *   ordinary text_delta, and thinking still works. The schema goes through the SDK's own
 *   transformJSONSchema (objects closed with additionalProperties:false, unsupported keywords moved
 *   into descriptions), as its jsonSchemaOutputFormat helper does.
 * - 'json' alone (no schema: structured outputs need one), a model before 4.5 (supportsStructuredOutputs),
 *   or a schema the transform refuses, goes
 *   to a forced tool `answer` whose input is the answer (the Messages API has no response_format);
 *   its input_json_delta.partial_json pieces are the answer's text. Extended thinking is not allowed
 *   with a forced tool_choice ("only tool_choice auto or none": extended-thinking docs), so it is
 *   dropped then.
 */
export function buildRequest(request: ChatRequest, modelMaxTokens?: number | null): BuiltRequest {
  const { system, messages } = toAnthropicMessages(request.messages);
  const cap = modelMaxTokens ?? defaultMaxTokens(request.model);
  const { format } = request;
  let shape: AnswerShape = 'text';
  let outputSchema: Record<string, unknown> | null = null;
  if (format !== undefined) {
    outputSchema = format === 'json' || !supportsStructuredOutputs(request.model) ? null : strictSchemaOrNull(format);
    shape = outputSchema ? 'structured' : 'tool';
  }
  let budget = shape === 'tool' ? null : thinkingBudget(request.think);
  // numPredict caps the answer; the thinking budget counts against max_tokens too, so it is added on top.
  let maxTokens = request.numPredict !== undefined ? request.numPredict + (budget ?? 0) : cap;
  maxTokens = Math.min(maxTokens, cap);
  if (budget !== null) {
    budget = Math.min(budget, maxTokens - MIN_THINKING_BUDGET);
    if (budget < MIN_THINKING_BUDGET) budget = null; // no room to think within the cap
  }
  const adaptive = budget !== null && usesAdaptiveThinking(request.model);
  const body: MessageCreateParamsStreaming = {
    model: request.model,
    messages,
    max_tokens: Math.max(1, maxTokens),
    stream: true,
    ...(system === undefined ? {} : { system }),
    // No temperature: API version 2026-10-21, which @anthropic-ai/sdk 1.x sends, removed temperature,
    // top_p and top_k ("temperature: Extra inputs are not permitted", a 400 even at the default; the
    // SDK's MessageCreateParams has no such field any more). ChatRequest.temperature is not honoured here.
  };
  if (budget !== null) {
    // "Which `type` values are accepted … depend on the model" (MessageCreateParams.thinking): the
    // adaptive generation takes {type:'adaptive'} with output_config.effort and refuses budgets; the
    // models before it only know budget_tokens. display 'summarized' so the reasoning is streamed
    // (where the default is 'omitted', thinking arrives without text).
    body.thinking = adaptive ? { type: 'adaptive', display: 'summarized' } : { type: 'enabled', budget_tokens: budget };
  }
  const effort = adaptive && typeof request.think === 'string' ? request.think : undefined;
  if ((shape === 'structured' && outputSchema) || effort) {
    body.output_config = {
      ...(shape === 'structured' && outputSchema ? { format: { type: 'json_schema' as const, schema: outputSchema } } : {}),
      ...(effort ? { effort } : {}),
    };
  }
  if (shape === 'tool') {
    const inputSchema = format !== undefined && format !== 'json' && format.type === 'object' ? format : { type: 'object' };
    body.tools = [
      {
        name: ANSWER_TOOL_NAME,
        description: 'Give your whole answer as this tool input: the JSON object asked for.',
        input_schema: inputSchema as { type: 'object' },
      },
    ];
    body.tool_choice = { type: 'tool', name: ANSWER_TOOL_NAME };
  }
  return { body, shape };
}

function strictSchemaOrNull(schema: Record<string, unknown>): Record<string, unknown> | null {
  try {
    return transformJSONSchema(schema) as Record<string, unknown>;
  } catch {
    return null; // a schema structured outputs cannot take: the forced tool still constrains the shape
  }
}

/**
 * stop_reason → doneReason (docs: "Handling stop reasons"). Both cut-offs are "length" so the
 * caller continues or flags them as it does for Ollama; the forced tool ending its input is the
 * answer's normal end. pause_turn is an unfinished answer ("length"); refusal is raised by the
 * provider as an error; anything newer passes through as sent.
 */
export function doneReasonOf(stopReason: StopReason | string | null | undefined): string | null {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
    // pause_turn: the API paused a long turn, which goes on when the response is sent back
    // (docs "Handling stop reasons"): not a finished answer, so treated like a cut-off one.
    case 'pause_turn':
      return 'length';
    case 'end_turn':
    case 'stop_sequence':
    case 'tool_use':
      return 'stop';
    default:
      return stopReason ?? null;
  }
}
