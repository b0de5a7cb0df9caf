// The REST API's task bodies: the simple `{prompt}` form and the TaskV1.1 spec that
// scripts written for the task API this product grew from still send. Pure: zod only,
// so the server, the CLI and tests share one definition and one prompt builder.
import { z } from 'zod';

const positiveInt = z.number().int().positive();
/** Lists of short strings (globs, file paths, commands, rules); bounded so a body cannot balloon the prompt. */
const stringList = z.array(z.string().trim().min(1).max(2000)).max(500);
const modelName = z.string().min(1).max(200);
const priority = z.number().int().min(-100).max(100);
/** A turn of this project (POST /v1/tasks); without it a task starts a new project. */
const projectId = z.string().min(1).max(64);

export const ModeHintSchema = z.enum(['chat', 'build']);
export type ModeHint = z.infer<typeof ModeHintSchema>;

export const TaskSpecV1Schema = z
  .object({
    type: z.literal('CODE'),
    input: z
      .object({
        goal: z.string().trim().min(1, 'Say what to build.').max(100_000),
        language: z.string().trim().min(1).max(100).optional(),
        frameworks: stringList.optional(),
        repo: z
          .object({ path: z.string().trim().min(1).max(4096), include: stringList.optional(), exclude: stringList.optional() })
          .strict()
          .optional(),
        constraints: z
          .object({ max_tokens: positiveInt.optional(), latency_ms: positiveInt.optional(), style: z.string().trim().max(2000).optional() })
          .strict()
          .optional(),
      })
      .strict(),
    output_contract: z.object({ expected_files: stringList.optional() }).strict().optional(),
    non_negotiables: stringList.optional(),
    oracle: z.object({ smoke: stringList.optional(), full: stringList.optional() }).strict().optional(),
    // Not part of TaskV1.1 itself; accepted beside it so both body shapes can pick a model, a priority and the project the task is a turn of.
    model: modelName.optional(),
    priority: priority.optional(),
    project_id: projectId.optional(),
  })
  .strict();
export type TaskSpecV1 = z.infer<typeof TaskSpecV1Schema>;

export const SimpleTaskBodySchema = z
  .object({
    prompt: z.string().trim().min(1, 'Type a prompt first.').max(200_000),
    model: modelName.optional(),
    priority: priority.optional(),
    project_id: projectId.optional(),
    // Free-form, but mode_hint is checked because it decides the task kind.
    metadata: z.object({ mode_hint: ModeHintSchema.optional() }).catchall(z.unknown()).optional(),
  })
  .strict();
export type SimpleTaskBody = z.infer<typeof SimpleTaskBodySchema>;

export const FeedbackBodySchema = z
  .object({
    task_id: z.string().min(1).max(64),
    rating: z.union([z.literal(-1), z.literal(1)], { error: 'Expected -1 (bad) or 1 (good).' }),
    comment: z.string().max(10_000).optional(),
  })
  .strict();
export type FeedbackBody = z.infer<typeof FeedbackBodySchema>;

export interface FieldError {
  path: string;
  message: string;
}

/** "input.constraints.max_tokens: Too small" style paths, the same as the engine's INVALID_INPUT details. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

export type ParsedTaskBody = { shape: 'spec'; spec: TaskSpecV1 } | { shape: 'simple'; body: SimpleTaskBody };

/**
 * Which shape a body is decides which schema reports its errors: anything with `type`
 * or `input` is a TaskV1.1 spec (so a spec missing `input.goal` is told exactly that),
 * everything else is the simple form.
 */
export function parseTaskBody(raw: unknown): { ok: true; value: ParsedTaskBody } | { ok: false; fields: FieldError[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, fields: [{ path: '(body)', message: 'Expected a JSON object: {"prompt": ...} or a TaskV1.1 body {"type": "CODE", "input": {"goal": ...}}.' }] };
  }
  if ('type' in raw || 'input' in raw) {
    const parsed = TaskSpecV1Schema.safeParse(raw);
    return parsed.success ? { ok: true, value: { shape: 'spec', spec: parsed.data } } : { ok: false, fields: fieldErrors(parsed.error.issues) };
  }
  const parsed = SimpleTaskBodySchema.safeParse(raw);
  return parsed.success ? { ok: true, value: { shape: 'simple', body: parsed.data } } : { ok: false, fields: fieldErrors(parsed.error.issues) };
}

function bullets(items: readonly string[], format: (item: string) => string = (s) => s): string {
  return items.map((item) => `- ${format(item)}`).join('\n');
}

/**
 * The instruction the model sees for a TaskV1.1 spec. Sections appear only when the spec
 * has them; the output format (`File: path` + fenced block) is the engine's system prompt's job.
 */
export function taskSpecToPrompt(spec: TaskSpecV1): string {
  const { input } = spec;
  // The goal comes first and bare: the task's title is the prompt's first line.
  const sections: string[] = [input.goal.trim()];

  const setup: string[] = [];
  if (input.language) setup.push(`Language: ${input.language}`);
  if (input.frameworks?.length) setup.push(`Frameworks and libraries: ${input.frameworks.join(', ')}`);
  if (input.repo) {
    const scope = [
      input.repo.include?.length ? `only ${input.repo.include.join(', ')}` : '',
      input.repo.exclude?.length ? `not ${input.repo.exclude.join(', ')}` : '',
    ].filter(Boolean);
    setup.push(`Existing repository: ${input.repo.path}${scope.length ? ` (${scope.join('; ')})` : ''}`);
  }
  if (setup.length) sections.push(setup.join('\n'));

  const c = input.constraints;
  const constraints: string[] = [];
  if (c?.max_tokens) constraints.push(`Keep the whole answer under about ${c.max_tokens} tokens.`);
  if (c?.latency_ms) constraints.push(`Time budget: ${c.latency_ms} ms; prefer the shortest complete solution.`);
  if (c?.style) constraints.push(`Style: ${c.style}`);
  if (constraints.length) sections.push(`Constraints:\n${bullets(constraints)}`);

  const expected = spec.output_contract?.expected_files ?? [];
  if (expected.length) sections.push(`Write these files, each one complete:\n${bullets(expected)}`);

  if (spec.non_negotiables?.length) sections.push(`Non-negotiable (the result is rejected if any of these does not hold):\n${bullets(spec.non_negotiables)}`);

  const smoke = spec.oracle?.smoke ?? [];
  const full = spec.oracle?.full ?? [];
  if (smoke.length || full.length) {
    const checks = [...smoke.map((cmd) => `smoke test: \`${cmd}\``), ...full.map((cmd) => `full test: \`${cmd}\``)];
    sections.push(`The result will be checked by running these commands in the project root, so they must pass:\n${bullets(checks)}`);
  }
  return sections.join('\n\n');
}
