import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PipelineRole } from '../../../../shared/index.js';
import type { ChatMessage } from '../../llm/index.js';
import type { Workspace } from '../../project-folder/index.js';
import type { CallRecord, LlmClient } from '../llm-client.js';
import { listSourceFiles } from './project-files.js';

/** Tokens of the chat template around each message (role markers), as the context budget counts them. */
const PER_MESSAGE_TOKENS = 8;

/**
 * The build as one conversation with the model, where that is safe. Ollama keeps a model's
 * last prompt and answer in its KV cache, so a request that repeats them and adds the next
 * instruction has the model read only that instruction: the docs step after implement, a fix
 * round after the last, the review after it. The files are then in the conversation as the
 * model wrote them (and its edit blocks), which is only true while nothing else changed them.
 * So a step continues the thread only when
 * - the last call was to the same model and answered whole (not cut off),
 * - every file the step wrote is on disk as its answer says (no refused file, no edit block
 *   left unapplied), and the project's files are exactly as they were when that call ended,
 * - the conversation plus the answer still fits the build's num_ctx.
 * Otherwise the step lays out a fresh call (call-layout.ts: files as they are now) and the
 * thread starts again from that call.
 */
export class BuildThread {
  private last: { call: CallRecord; state: string } | null = null;

  constructor(
    private readonly workspace: Workspace,
    private readonly llm: LlmClient,
  ) {}

  /**
   * The project's files as they are now: path, size and change time of each (cheap: no file is
   * read; the files prompts show, from the parallel listing, each stat'ed synchronously).
   */
  private async state(): Promise<string> {
    const hash = createHash('sha256');
    for (const f of await listSourceFiles(this.workspace)) {
      let changedAt = 0;
      try {
        changedAt = fs.statSync(path.join(this.workspace.root, f.path)).mtimeMs;
      } catch {
        // gone since the listing: its absence changes the hash anyway
      }
      hash.update(`${f.path}\0${f.size}\0${changedAt}\0`);
    }
    return hash.digest('hex');
  }

  /** After a step: its last call can be continued if the step left the files as its answers say. */
  async record(call: CallRecord | undefined, clean: boolean): Promise<void> {
    if (call && clean && this.last?.call === call) return; // recorded already (the step's own last batch)
    this.last = call && clean && call.doneReason !== 'length' ? { call, state: await this.state() } : null;
  }

  invalidate(): void {
    this.last = null;
  }

  /**
   * The last call and its answer, then `instruction`; null when the step should lay out a fresh
   * call. `mustShow`: files the step needs the model to have seen (a fix round's implicated
   * files; one the context left out of the conversation needs a fresh call that shows it).
   */
  async continueWith(role: PipelineRole, instruction: string, answerTokens: number, mustShow: readonly string[] = []): Promise<{ messages: ChatMessage[]; model: string } | null> {
    const last = this.last;
    const model = this.llm.candidates(role)[0]?.model;
    if (!last || !model || last.call.model !== model) return null;
    const messages: ChatMessage[] = [...last.call.messages, { role: 'assistant', content: last.call.output }, { role: 'user', content: instruction }];
    const tokens = messages.reduce((n, m) => n + PER_MESSAGE_TOKENS + this.llm.countTokens(model, m.content), 0);
    if (tokens > this.llm.promptBudget(model, answerTokens)) return null;
    // Shown: written by the model (its answers name what they write, however they format it) or shown to it as a file.
    const shown = (p: string) => messages.some((m) => (m.role === 'assistant' ? m.content.includes(p) : m.content.includes(`File: ${p}\n`)));
    if (!mustShow.every(shown)) return null;
    if ((await this.state()) !== last.state) return null;
    return { messages, model };
  }
}
