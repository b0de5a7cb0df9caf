// The part of a snapshot that differs between backends: where the bytes and the
// manifest are kept. TaskSnapshot holds the logic and talks to one of these.
import type { SnapshotBackend, SnapshotManifest } from './manifest.js';

export interface SnapshotStore {
  readonly backend: SnapshotBackend;
  /** The manifest saved last, or null when the task has no snapshot yet. */
  load(): Promise<SnapshotManifest | null>;
  /** Keep `data` durably; returns the id getBlob takes (the git blob id, or the sha256). */
  putBlob(data: Uint8Array, sha256: string): Promise<string>;
  getBlob(id: string): Promise<Buffer>;
  /** Several blobs at once (an undo of many files); every id must be found. */
  getBlobs(ids: string[]): Promise<Map<string, Buffer>>;
  /**
   * Persist the manifest durably (and, for git, make every blob it names reachable).
   * Reads `manifest` synchronously, before its first await: changes made while the save
   * runs belong to the next save (see SaveCoalescer).
   */
  save(manifest: SnapshotManifest): Promise<void>;
  /** Forget the snapshot. Copy blobs stay until pruneBlobs; git objects until git gc. */
  remove(): Promise<void>;
}
