// Workspace folders the user brings: the tree, changes a task made (review, revert, undo),
// and the files chosen as context for the model. Pure: zod only.
import { z } from 'zod';

export const WorkspaceInfoSchema = z.object({
  /** Absolute, real path of the folder. */
  root: z.string(),
  name: z.string(),
  isGitRepo: z.boolean(),
  openedAt: z.number(),
  /** For recent entries: the folder is still there. */
  exists: z.boolean(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfoSchema>;

export const TreeEntrySchema = z.object({
  path: z.string(),
  kind: z.enum(['file', 'dir']),
  size: z.number(),
  /** Matched by .gitignore (listed only when ignored entries are shown). */
  ignored: z.boolean(),
});
export type TreeEntry = z.infer<typeof TreeEntrySchema>;

export const FileChangeSchema = z.object({
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted', 'unchanged']),
  before: z.object({ sha256: z.string(), size: z.number() }).nullable(),
  after: z.object({ sha256: z.string(), size: z.number() }).nullable(),
  /** The user kept the task's version (it stays undoable with the whole task). */
  accepted: z.boolean(),
});
export type FileChange = z.infer<typeof FileChangeSchema>;

export const ContextFileSchema = z.object({
  path: z.string(),
  tokens: z.number().int(),
  /** "pinned", "mentions login, token", "path matches auth" … */
  reason: z.string(),
  pinned: z.boolean(),
});
export type ContextFile = z.infer<typeof ContextFileSchema>;

export const ContextSelectionSchema = z.object({
  files: z.array(ContextFileSchema),
  totalTokens: z.number().int(),
  budgetTokens: z.number().int(),
  /** Candidate files considered (after include/exclude and .gitignore). */
  candidates: z.number().int(),
});
export type ContextSelection = z.infer<typeof ContextSelectionSchema>;

/** What the user chose in the composer: files always sent, files never sent. */
export const ContextChoiceSchema = z
  .object({
    pinned: z.array(z.string().min(1).max(4096)).max(200).optional(),
    excluded: z.array(z.string().min(1).max(4096)).max(2000).optional(),
  })
  .strict();
export type ContextChoice = z.infer<typeof ContextChoiceSchema>;
