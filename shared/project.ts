// Projects: what a user works on, turn after turn. A generated project (a folder MACS made
// under <data dir>/projects/<id>/, a git repository with one commit per turn) and a folder
// the user opened are the same concept, seen through the same views. A task is a turn.
// Pure: zod only.
import { z } from 'zod';

/** Stored, never guessed from the path: who owns the folder decides what MACS may do to it. */
export const ProjectKindSchema = z.enum(['generated', 'folder']);
export type ProjectKind = z.infer<typeof ProjectKindSchema>;

/** The Software Maker's project states, derived from the turns and their steps. */
export const ProjectStateSchema = z.enum(['NEW', 'PLANNING', 'CODING', 'TESTING', 'DEBUGGING', 'READY', 'FAILED']);
export type ProjectState = z.infer<typeof ProjectStateSchema>;

/**
 * A project's own model options, sent with every call of its turns: the temperature replaces the
 * steps' own (null: theirs), the system prompt is appended to MACS's ('' : none).
 */
export const ProjectModelOptionsSchema = z.object({
  temperature: z.number().min(0, 'Temperature is 0 or more.').max(2, 'Temperature is 2 at most.').nullable(),
  systemPrompt: z.string().max(4000, 'The system prompt is 4,000 characters at most.'),
});
export type ProjectModelOptions = z.infer<typeof ProjectModelOptionsSchema>;
export const DEFAULT_PROJECT_MODEL_OPTIONS: ProjectModelOptions = { temperature: null, systemPrompt: '' };

export const ProjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: ProjectKindSchema,
  /** Absolute path of the project's folder. */
  root: z.string(),
  /** The main language, from the files (null until there are some). */
  language: z.string().nullable(),
  pinned: z.boolean(),
  /** Queued turns wait until the project is resumed. */
  paused: z.boolean(),
  state: ProjectStateSchema,
  turnCount: z.number().int(),
  /** The newest turn (null: none yet). */
  lastTaskId: z.string().nullable(),
  createdAt: z.number(),
  /** Last activity: the newest turn's last change, a rename, a restore. */
  updatedAt: z.number(),
  /** The folder is gone or unreadable (an opened folder: Locate… or Forget). */
  folderMissing: z.boolean(),
  /** Absent from an older engine: the defaults. */
  modelOptions: ProjectModelOptionsSchema.optional(),
});
export type Project = z.infer<typeof ProjectSchema>;

export const VersionKindSchema = z.enum(['turn', 'hand-edit', 'restore', 'initial']);
export type VersionKind = z.infer<typeof VersionKindSchema>;

export const ProjectVersionSchema = z.object({
  /** A git commit (generated projects) or the turn's task id (opened folders: private snapshot refs). */
  id: z.string(),
  /** 1, 2, 3 … in the order the versions were made. */
  number: z.number().int().positive(),
  kind: VersionKindSchema,
  /** The turn that made it (null: hand edits, the initial state). */
  taskId: z.string().nullable(),
  /** The prompt (a turn), "Edits made by hand", "Restore version 2". */
  message: z.string(),
  createdAt: z.number(),
  filesChanged: z.number().int(),
  /** The project was restored to an earlier version after this one: shown, marked, never deleted. */
  undone: z.boolean(),
  /** The version the project's files are at now. */
  current: z.boolean(),
  /** A turn whose build ended with its tests, and its smoke scenarios in a browser when the plan had any, passing ("working"). */
  working: z.boolean().optional(),
});
export type ProjectVersion = z.infer<typeof ProjectVersionSchema>;

/** One file's change in a version, with the diff's two sides when they are text. */
export const VersionFileDiffSchema = z.object({
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted']),
  binary: z.boolean(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type VersionFileDiff = z.infer<typeof VersionFileDiffSchema>;

/** What a turn sent the model: the files and earlier turns in the prompt, and what was left out for lack of room. */
export const ContextReceiptSchema = z.object({
  files: z.array(z.object({ path: z.string(), tokens: z.number().int(), reason: z.string() })),
  turns: z.array(z.object({ taskId: z.string(), tokens: z.number().int() })),
  leftOut: z.array(z.object({ kind: z.enum(['file', 'turn']), ref: z.string(), tokens: z.number().int() })),
  /** Files named only in the map of the rest (path list, no content). */
  mapped: z.number().int(),
  budgetTokens: z.number().int(),
  estimatedTokens: z.number().int(),
  /** The model's own count (prompt_eval_count) once the first answer came back. */
  promptEvalCount: z.number().int().nullable(),
});
export type ContextReceipt = z.infer<typeof ContextReceiptSchema>;
