// When to send Ollama's `think` and with which value. docs/api.md: "think: (for thinking
// models) should the model think before responding? Can be a boolean or a thinking level".
// server/routes.go ChatHandler answers 400 `"<model>" does not support thinking` when think is
// true for a model whose capabilities lack "thinking", so it is only ever sent to such models;
// and for a model that has it, routes.go defaults think to true, so "off" must be sent as false.

/** Ollama's `think` value: a boolean, or a level for models that take one (gpt-oss). */
export type ThinkValue = boolean | 'low' | 'medium' | 'high';

export interface ThinkingFacts {
  capabilities?: string[];
  details?: { family?: string };
}

/** gpt-oss ignores true/false and cannot stop reasoning; it takes "low" | "medium" | "high" (docs/capabilities/thinking.mdx). */
function takesLevels(model: string, facts: ThinkingFacts): boolean {
  return /gpt-oss/i.test(model) || facts.details?.family === 'gptoss';
}

/**
 * The `think` to send: undefined when the model cannot think (or nothing is known about it:
 * sending it could only cause a 400). `enabled` is the user's per-model switch (on by default).
 */
export function thinkValueFor(model: string, facts: ThinkingFacts | null, enabled: boolean): ThinkValue | undefined {
  if (!facts?.capabilities?.includes('thinking')) return undefined;
  if (takesLevels(model, facts)) return enabled ? 'medium' : 'low';
  return enabled;
}

/** The per-model Settings switch: absent means on. */
export function thinkingEnabled(thinkingModels: Readonly<Record<string, boolean>> | undefined, model: string): boolean {
  return thinkingModels?.[model] !== false;
}

/**
 * Model names whose template opens `<think>` for the model (or that think in `<think>` tags
 * unasked): DeepSeek-R1 and its distills, QwQ, Qwen3 (not Qwen3-Coder), and other reasoners.
 * Used only when the server does not split reasoning itself (no `thinking` capability).
 */
export function looksLikeReasoner(model: string): boolean {
  const name = model.toLowerCase();
  if (/qwen3[^/]*coder/.test(name)) return false;
  return /deepseek-r1|\bqwq\b|qwen3|\br1\b|reason|thinker|thinking|magistral|exaone-deep|cogito|marco-o1|skywork-o1/.test(name);
}
