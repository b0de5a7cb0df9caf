// The xterm side of the shown sessions: one SessionStream per session of the selected
// task, frames routed by sessionId, and one animation-frame loop that drains them all.
import type { TerminalSession, TopicPayload } from '../../../shared/index.js';
import { SessionStream, type StreamHooks } from './terminal-streams.js';

type Frame = TopicPayload<'terminal.output'>;

/** Frames for sessions not shown (yet): kept briefly, e.g. a shell's first prompt that beats terminal.open's answer. */
const ORPHAN_BYTES = 256 * 1024;
const ORPHAN_TTL_MS = 10_000;

interface Orphan {
  at: number;
  frames: Frame[];
  bytes: number;
  /** Frames were dropped: a replay is needed instead. */
  lost: boolean;
}

const streams = new Map<string, SessionStream>();
const orphans = new Map<string, Orphan>();
let rafId: number | null = null;
let hooks: StreamHooks | null = null;

export function setStreamHooks(h: StreamHooks): void {
  hooks = h;
}

function wake(): void {
  if (rafId === null) rafId = requestAnimationFrame(drainAll);
}

function drainAll(): void {
  rafId = null;
  let more = false;
  for (const stream of streams.values()) more = stream.drain() || more;
  if (more) wake();
}

function takeOrphans(sessionId: string): Orphan | null {
  const kept = orphans.get(sessionId);
  orphans.delete(sessionId);
  return kept && Date.now() - kept.at < ORPHAN_TTL_MS ? kept : null;
}

export function getStream(sessionId: string): SessionStream | undefined {
  return streams.get(sessionId);
}

/** Show a session: `fresh` when we just opened it (nothing to replay), else restore from the engine. */
export function addStream(session: TerminalSession, fresh: boolean): SessionStream {
  const existing = streams.get(session.sessionId);
  if (existing) return existing;
  if (!hooks) throw new Error('terminal hooks are not set up');
  const stream = new SessionStream(session, hooks, wake);
  streams.set(session.sessionId, stream);
  const kept = takeOrphans(session.sessionId);
  if (fresh && !kept?.lost) stream.startFresh(kept?.frames ?? []);
  else void stream.restore(kept?.lost ? [] : (kept?.frames ?? [])).catch((err) => console.warn('[macs] terminal.replay failed', err));
  return stream;
}

export function removeStream(sessionId: string): void {
  streams.get(sessionId)?.dispose();
  streams.delete(sessionId);
}

/** Drop every stream not in `keep` (the selected task changed). */
export function retainStreams(keep: Set<string>): void {
  for (const id of [...streams.keys()]) if (!keep.has(id)) removeStream(id);
}

/** After a reconnect: frames may have been missed, repaint everything from the engine. */
export function restoreAll(): void {
  for (const stream of streams.values()) void stream.restore().catch((err) => console.warn('[macs] terminal.replay failed', err));
}

/** Returns false when no stream shows this session (the caller may look for new sessions). */
export function routeFrame(frame: Frame): boolean {
  const stream = streams.get(frame.sessionId);
  if (stream) {
    stream.onFrame(frame);
    return true;
  }
  const kept = orphans.get(frame.sessionId) ?? { at: Date.now(), frames: [], bytes: 0, lost: false };
  if (!kept.lost && kept.bytes + frame.data.length <= ORPHAN_BYTES) {
    kept.frames.push(frame);
    kept.bytes += frame.data.length;
  } else {
    kept.lost = true;
    kept.frames = [];
  }
  orphans.set(frame.sessionId, kept);
  if (orphans.size > 64) orphans.delete(orphans.keys().next().value!);
  return false;
}

/** For tests and the benchmark: bytes parsed / skipped, and whether all output is in xterm. */
export function streamStats(sessionId: string): { parsed: number; skipped: number; idle: boolean } | null {
  const s = streams.get(sessionId);
  return s ? { parsed: s.parsed, skipped: s.skipped, idle: s.idle() } : null;
}
