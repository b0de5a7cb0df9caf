// The REST API's task bodies: the simple `{prompt}` form and the TaskV1.1 spec that
// scripts written for the task API this product grew from still send. Pure: zod only,
// so the server, the CLI and tests share one definition and one prompt builder.
// Both the richer forms (lists of rules and commands) and the Phase-1 README's shorter
// ones (named constraints, oracle booleans, a relative repo path) are accepted as written.
import { z } from 'zod';

const positiveInt = z.number().int().positive();
/** Lists of short strings (globs, file paths, commands, rules); bounded so a body cannot balloon the prompt. */
const stringList = z.array(z.string().trim().min(1).max(2000)).max(500);
const modelName = z.string().min(1).max(200);
const priority = z.number().int().min(-100).max(100);
/** A turn of this project (POST /v1/tasks); without it a task starts a new project. */
const projectId = z.string().min(1).max(64);
/**
 * A client-chosen task id (Agent-MVP sends a UUIDv4): it becomes the task's own id, so
 * GET /v1/tasks/{task_id} works with the id the client already holds. Lower-cased: one id, one task.
 */
export const ClientTaskIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/, {
    error: 'Expected a UUID such as "9b2f6c1e-3a4d-4e8b-9c7f-1d2e3f4a5b6c" (it becomes this task\'s id).',
  })
  .transform((id) => id.toLowerCase());

const NON_NEGOTIABLES_ACCEPTED =
  'Expected a list of rules (["No network calls at import time"]) or named constraints with text, number or true/false values ({"build_tool": "gradle", "jdk": 21}).';
/** {"build_tool": "gradle", "jdk": 21}: named constraints, shown to the model as "build_tool: gradle". */
const namedConstraints = z
  .record(z.string().trim().min(1).max(200), z.union([z.string().trim().max(2000), z.number(), z.boolean()]))
  .refine((o) => Object.keys(o).length <= 500, { error: 'At most 500 named constraints.' });
const nonNegotiables = z.union([stringList, namedConstraints], { error: NON_NEGOTIABLES_ACCEPTED });

/** true: run the test command the plan (or the project's conventions) give at this level; false: no such level. */
const oracleLevel = z.union([z.boolean(), stringList], {
  error: 'Expected a list of commands (["pytest -q"]) or true/false (true: run the test command the plan or the project\'s conventions give).',
});

/**
 * `./workspace` is where the Phase-1 MVP put new projects: a spec naming it asks for a new
 * project, not for an existing repository. Other relative paths resolve on the server
 * against its documented root (electron/server/rest/repo-path.ts).
 */
export function isNewProjectRepoPath(p: string): boolean {
  return /^(\.\/)?workspace\/?$/.test(p.trim());
}

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
    non_negotiables: nonNegotiables.optional(),
    oracle: z.object({ smoke: oracleLevel.optional(), full: oracleLevel.optional() }).strict().optional(),
    // Not part of TaskV1.1 itself; accepted beside it so both body shapes can pick a model, a priority and the project the task is a turn of.
    model: modelName.optional(),
    priority: priority.optional(),
    project_id: projectId.optional(),
    task_id: ClientTaskIdSchema.optional(),
  })
  .strict();
export type TaskSpecV1 = z.infer<typeof TaskSpecV1Schema>;

/** The non-negotiables as rule lines: a list as written, named constraints as "name: value". */
export function nonNegotiableRules(spec: Pick<TaskSpecV1, 'non_negotiables'> | null | undefined): string[] {
  const rules = spec?.non_negotiables;
  if (!rules) return [];
  if (Array.isArray(rules)) return rules;
  return Object.entries(rules).map(([name, value]) => `${name}: ${String(value)}`);
}

export const SimpleTaskBodySchema = z
  .object({
    prompt: z.string().trim().min(1, 'Type a prompt first.').max(200_000),
    model: modelName.optional(),
    priority: priority.optional(),
    project_id: projectId.optional(),
    task_id: ClientTaskIdSchema.optional(),
    // Free-form, but mode_hint is checked because it decides the task kind.
    metadata: z.object({ mode_hint: ModeHintSchema.optional() }).catchall(z.unknown()).optional(),
  })
  .strict();
export type SimpleTaskBody = z.infer<typeof SimpleTaskBodySchema>;

const RATING_ACCEPTED = 'Expected -1 (bad) or 1 (good), or a rating from 1 to 5 (2 or less: bad, 3: neutral, 4 or more: good; send "scale": 5 to mean 1 of 5).';

/**
 * Ours is -1 / 1; the seed clients' feedback files rate 1 to 5. 2–5 can only be the 1–5
 * scale; a bare 1 keeps its documented meaning here (good), and `"scale": 5` reads it as 1 of 5.
 */
export const FeedbackBodySchema = z
  .object({
    task_id: z.string().min(1).max(64),
    rating: z.number({ error: RATING_ACCEPTED }).int({ error: RATING_ACCEPTED }).min(-1, { error: RATING_ACCEPTED }).max(5, { error: RATING_ACCEPTED }).refine((r) => r !== 0, { error: RATING_ACCEPTED }),
    /** Which scale `rating` is on: 2 (-1 / 1) or 5 (1 to 5). Omitted: -1 and 1 are ours, 2–5 the 1–5 scale. */
    scale: z.union([z.literal(2), z.literal(5)], { error: 'Expected 2 (rating -1 or 1) or 5 (rating 1 to 5).' }).optional(),
    comment: z.string().max(10_000).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.scale === 5 && b.rating < 1) ctx.addIssue({ code: 'custom', path: ['rating'], message: 'On the 1–5 scale a rating is 1, 2, 3, 4 or 5.' });
    if (b.scale === 2 && b.rating !== 1 && b.rating !== -1) ctx.addIssue({ code: 'custom', path: ['rating'], message: 'On the -1/1 scale a rating is -1 (bad) or 1 (good).' });
  });
export type FeedbackBody = z.infer<typeof FeedbackBodySchema>;

export interface FeedbackScore {
  /** What MACS counts: -1 bad, 0 neutral, 1 good. */
  score: -1 | 0 | 1;
  /** The rating as sent, and the scale it was read on. */
  given: number;
  scale: 2 | 5;
}

/** 1–5: 2 or less → -1, 3 → 0 (neutral, kept as such), 4 or more → 1; -1 / 1 as they are. */
export function feedbackScore(body: Pick<FeedbackBody, 'rating' | 'scale'>): FeedbackScore {
  const scale = body.scale ?? (body.rating === -1 || body.rating === 1 ? 2 : 5);
  if (scale === 2) return { score: body.rating < 0 ? -1 : 1, given: body.rating, scale };
  return { score: body.rating <= 2 ? -1 : body.rating >= 4 ? 1 : 0, given: body.rating, scale };
}

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
    // ./workspace is the Phase-1 MVP's new-project root, not a repository the model should look for.
    if (!isNewProjectRepoPath(input.repo.path)) setup.push(`Existing repository: ${input.repo.path}${scope.length ? ` (${scope.join('; ')})` : ''}`);
    else if (scope.length) setup.push(`Work on ${scope.join('; ')}`);
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

  const rules = nonNegotiableRules(spec);
  if (rules.length) sections.push(`Non-negotiable (the result is rejected if any of these does not hold):\n${bullets(rules)}`);

  const checks: string[] = [];
  for (const level of ['smoke', 'full'] as const) {
    const value = spec.oracle?.[level];
    if (value === true) checks.push(`${level} test: the project's own test command (name it in the plan), with tests that exercise the goal`);
    else if (Array.isArray(value)) checks.push(...value.map((cmd) => `${level} test: \`${cmd}\``));
  }
  if (checks.length) sections.push(`The result will be checked by running these commands in the project root, so they must pass:\n${bullets(checks)}`);
  return sections.join('\n\n');
}
