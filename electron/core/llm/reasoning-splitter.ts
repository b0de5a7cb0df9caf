/**
 * Separates a model's reasoning from its answer while the answer streams, so reasoning
 * is shown to the user and never reaches the file extractor — not even for a moment.
 *
 * Ollama ≥ 0.9 already splits reasoning into `message.thinking` when it knows the model
 * (`think` sent, or defaulted on for a model with the `thinking` capability: server/routes.go
 * ChatHandler, thinking/parser.go, model/parsers/qwen3.go, harmony/harmonyparser.go). What is
 * left for us is reasoning that leaks into `content`:
 *  - inline `<think>…</think>` and its kin (see OPENERS) (Ollama before 0.12.4 when `think` is unset, imported GGUFs whose template
 *    has no thinking tags, models that reason in plain text): recognised at the start of a line,
 *    like thinking/parser.go which only looks for the opener before any non-space text;
 *  - an unclosed `<think>` at the end of the stream: all of it is reasoning;
 *  - DeepSeek-R1's shape: its template opens `<think>` for the model, so `content` holds only
 *    the closing `</think>` (routes.go feeds the opener to the parser itself when the prompt ends
 *    with it). Everything before the first unmatched `</think>` is reasoning. We cannot see the
 *    prompt, so this rule is applied only when the caller says the model is known to reason
 *    (`assumeOpenThink`): then text is held (shown live as reasoning, never as answer) until
 *    `</think>` arrives. Trade-off: for such a model a complete answer that never closes
 *    `</think>` (`done_reason` "stop") is released as the answer only at the end, so its files
 *    are written late, not early; a cut-off one (`length`, dropped stream) stays reasoning.
 *    Models not known to reason stream their answer at once: holding every answer until the
 *    end to guard against an unknown plain-text reasoner would leave users staring at nothing.
 *  - a second, stray `</think>` later in the answer: dropped;
 *  - gpt-oss harmony markers in `content` (harmony/harmonyparser.go): `<|channel|>analysis`
 *    is reasoning, `final` (and `commentary` without a recipient) is the answer, a tool message
 *    (`commentary to=functions.x`) is an answer only when the tool writes files (its JSON can
 *    then name a file), otherwise it is shown with the reasoning and makes no file. Text between
 *    messages is not answer (HarmonyParser drops text outside a message).
 *
 * Cost is linear: each chunk is scanned once with one regular expression; at most the last
 * 12 characters (a possible partial marker) are carried into the next chunk.
 */

import { parseHarmonyHeader } from './harmony-header.js';

export type ReasoningPiece = { kind: 'answer' | 'thinking'; text: string };

export interface ReasoningSplitterOptions {
  /** The model's template opens `<think>` itself (a known reasoner whose reasoning the server does not split). */
  assumeOpenThink?: boolean;
}

export interface SplitEnd {
  /** The stream ended with a done message (not an error or a cut). */
  complete: boolean;
  doneReason?: string | null;
}

/**
 * Reasoning tags: `<think>` (qwen3, deepseek-r1, phi4-reasoning: thinking/parser.go, model/parsers/qwen3.go),
 * `<thinking>` (models tuned on other tools' traces), `[THINK]` (Magistral: model/parsers/ministral.go),
 * `<|channel>` (Gemma 4: model/parsers/gemma4.go). Each opener is read as `<think>`, each closer as `</think>`.
 */
const OPENERS = ['<think>', '<thinking>', '[THINK]', '<|channel>'];
const CLOSERS = ['</think>', '</thinking>', '[/THINK]', '<channel|>'];
const HARMONY = ['<|start|>', '<|channel|>', '<|message|>', '<|end|>', '<|return|>', '<|call|>', '<|constrain|>'] as const;
const MARKERS: readonly string[] = [...OPENERS, ...CLOSERS, ...HARMONY];
type Marker = '<think>' | '</think>' | (typeof HARMONY)[number];
const MARKER_RE = new RegExp(MARKERS.map((m) => m.replace(/[[\]|/]/g, '\\$&')).join('|'), 'g');

/** Tag synonyms as the canonical `<think>` / `</think>`. */
function canonical(m: string): Marker {
  if (OPENERS.includes(m)) return '<think>';
  if (CLOSERS.includes(m)) return '</think>';
  return m as Marker;
}
const MAX_MARKER = Math.max(...MARKERS.map((m) => m.length));
/** Tool names whose arguments carry a file (printed tool calls the extractor can read). */
const FILE_TOOL = /write|file|create|save|edit|patch/i;

type Mode = 'answer' | 'think' | 'pending' | 'h-header' | 'h-body' | 'h-between';

/** Length of the longest suffix of `text` that is a proper prefix of a marker (to carry over). */
function partialMarkerAt(text: string): number {
  for (let i = Math.max(0, text.length - (MAX_MARKER - 1)); i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x3c /* < */ && c !== 0x5b /* [ */) continue;
    const tail = text.slice(i);
    if (MARKERS.some((m) => m.length > tail.length && m.startsWith(tail))) return i;
  }
  return text.length;
}

export class ReasoningSplitter {
  private mode: Mode;
  private carry = '';
  private out: ReasoningPiece[] = [];
  /** Only whitespace since the last newline of the answer: `<think>` opens reasoning here. */
  private answerLineBlank = true;
  /** After `</think>`: the answer's leading whitespace is dropped (thinking/parser.go does the same). */
  private eatWs = false;
  /** pending: the text held until `</think>` says it was reasoning (or the end says it was the answer). */
  private held = '';
  private explicitOpen = false;
  private header = '';
  private bodyKind: 'answer' | 'thinking' = 'answer';
  /** A harmony message was seen: its markers are structure from then on, not text. */
  private harmonySeen = false;

  constructor(options: ReasoningSplitterOptions = {}) {
    this.mode = options.assumeOpenThink ? 'pending' : 'answer';
  }

  /** The server split reasoning into `message.thinking`: content is the answer, nothing is held back. */
  serverSplits(): ReasoningPiece[] {
    if (this.mode === 'pending') {
      this.mode = 'answer';
      const held = this.held;
      this.held = '';
      this.emitAnswer(held);
    }
    return this.drain();
  }

  push(chunk: string): ReasoningPiece[] {
    const text = this.carry + chunk;
    this.carry = '';
    let from = 0;
    for (;;) {
      MARKER_RE.lastIndex = from;
      const m = MARKER_RE.exec(text);
      if (!m) break;
      this.text(text.slice(from, m.index));
      this.marker(canonical(m[0]), m[0]);
      from = m.index + m[0].length;
    }
    const rest = from === 0 ? text : text.slice(from);
    const cut = partialMarkerAt(rest);
    this.text(rest.slice(0, cut));
    this.carry = rest.slice(cut);
    return this.drain();
  }

  end(how: SplitEnd): ReasoningPiece[] {
    const carry = this.carry;
    this.carry = '';
    if (this.mode === 'pending') {
      this.held += carry;
      const answered = how.complete && how.doneReason !== 'length' && !this.explicitOpen;
      if (answered) this.emitAnswer(this.held);
      else this.emit('thinking', carry);
      this.held = '';
      this.mode = 'answer';
    } else if (this.mode !== 'h-header') {
      this.text(carry);
    }
    return this.drain();
  }

  private text(t: string): void {
    if (!t) return;
    switch (this.mode) {
      case 'answer':
        this.emitAnswer(t);
        return;
      case 'think':
        this.emit('thinking', t);
        return;
      case 'pending':
        this.held += t;
        this.emit('thinking', t);
        return;
      case 'h-header':
        this.header += t;
        return;
      case 'h-body':
        if (this.bodyKind === 'answer') this.emitAnswer(t);
        else this.emit('thinking', t);
        return;
      case 'h-between':
        // Outside a message: not answer. Shown with the reasoning unless it is only layout.
        if (/\S/.test(t)) this.emit('thinking', t);
        return;
    }
  }

  /** m: the marker as `<think>`/`</think>` or a harmony marker; raw: as written (kept when it is only text). */
  private marker(m: Marker, raw: string): void {
    switch (this.mode) {
      case 'answer':
        if (m === '<think>') {
          if (this.answerLineBlank) this.mode = 'think';
          else this.emitAnswer(raw); // mid-line: part of the answer's own text (a string in code)
        } else if (m === '<|start|>' || m === '<|channel|>') {
          // A harmony message begins at a line start (or once harmony was seen); mid-line it is text.
          if (this.answerLineBlank || this.harmonySeen) this.openHeader(m);
          else this.emitAnswer(raw);
        } else if (m !== '</think>' && !this.harmonySeen) {
          this.emitAnswer(raw); // e.g. a tokenizer's own special tokens in code
        }
        // A stray `</think>`, or a harmony end marker once harmony was seen, is dropped.
        return;
      case 'think':
        if (m === '</think>') {
          this.mode = 'answer';
          this.eatWs = true;
        } else if (m !== '<think>') {
          this.emit('thinking', raw);
        }
        return;
      case 'pending':
        if (m === '</think>') {
          this.held = '';
          this.mode = 'answer';
          this.eatWs = true;
        } else if (m === '<think>') {
          this.explicitOpen = true;
        } else {
          this.text(raw);
        }
        return;
      case 'h-header':
        if (m === '<|message|>') this.openBody();
        else if (m === '<|start|>') this.header = '';
        else if (m === '<|channel|>' || m === '<|constrain|>') this.header += m;
        else if (m === '<|end|>' || m === '<|return|>' || m === '<|call|>') this.mode = 'h-between';
        return;
      case 'h-body':
        if (m === '<|end|>' || m === '<|return|>' || m === '<|call|>') this.closeBody();
        else if (m === '<|start|>' || m === '<|channel|>') {
          this.closeBody();
          this.openHeader(m);
        } else if (m === '<think>' || m === '</think>') this.text(raw);
        return;
      case 'h-between':
        if (m === '<|start|>' || m === '<|channel|>') this.openHeader(m);
        return;
    }
  }

  private openHeader(m: '<|start|>' | '<|channel|>'): void {
    this.mode = 'h-header';
    this.harmonySeen = true;
    // A header that begins at <|channel|> had its `<|start|>assistant` added implicitly (AddImplicitStart).
    this.header = m === '<|channel|>' ? 'assistant<|channel|>' : '';
  }

  private openBody(): void {
    const { channel, recipient } = parseHarmonyHeader(this.header);
    this.header = '';
    this.mode = 'h-body';
    if (recipient) {
      // A tool call printed into content: its arguments may name a file; any other tool makes none.
      this.bodyKind = FILE_TOOL.test(recipient) ? 'answer' : 'thinking';
      if (this.bodyKind === 'answer') this.emitAnswer('\n');
      else this.emit('thinking', `\n[tool call to ${recipient}] `);
    } else {
      this.bodyKind = channel === 'analysis' ? 'thinking' : 'answer';
    }
  }

  private closeBody(): void {
    if (this.bodyKind === 'answer') this.emitAnswer('\n');
    this.mode = 'h-between';
  }

  private emitAnswer(t: string): void {
    let text = t;
    if (this.eatWs) {
      text = text.replace(/^\s+/, '');
      if (!text) return;
      this.eatWs = false;
    }
    if (!text) return;
    const nl = text.lastIndexOf('\n');
    this.answerLineBlank = nl === -1 ? this.answerLineBlank && /^[ \t]*$/.test(text) : /^[ \t\r]*$/.test(text.slice(nl + 1));
    this.emit('answer', text);
  }

  private emit(kind: ReasoningPiece['kind'], text: string): void {
    if (!text) return;
    const last = this.out[this.out.length - 1];
    if (last?.kind === kind) last.text += text;
    else this.out.push({ kind, text });
  }

  private drain(): ReasoningPiece[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}
