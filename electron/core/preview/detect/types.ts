// What detection reads: the project's root entries and the few files it opens. Pure
// inputs, so every rule can be pinned by a unit test without a folder on disk.
export interface DetectContext {
  /** The build plan's own run command, when the plan named one (most specific of all). */
  planCommand?: string | null;
  /** Hash of the dependency files at the last successful install (run settings), or null. */
  installedDepsHash?: string | null;
  /** Python modules python3 can import here (flask, uvicorn); undefined: not checked, assume absent. */
  pythonModules?: ReadonlySet<string>;
}

/** A project file's text, or null when it is missing or unreadable. */
export type ReadText = (relativePath: string) => string | null;
