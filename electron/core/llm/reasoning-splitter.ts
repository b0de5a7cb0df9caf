/**
 * Separates a model's reasoning from its answer while the answer streams, so reasoning
 * is shown to the user and never reaches the file extractor — not even for a moment.
 *
 * Ollama ≥ 0.9 already splits reasoning into `message.thinking` when it knows the model
 * (`think` sent, or defaulted on for a model with the `thinking` capability: server/routes.go
 * ChatHandler, thinking/parser.go, model/parsers/qwen3.go, harmony/harmonyparser.go). What is
 * left for us is reasoning that leaks into `content`:
 *  - inline `<think>…</think>` and its kin (see THINK_OPEN: any case, attributes, nested) (Ollama before 0.12.4 when `think` is unset, imported GGUFs whose template
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

import { isClosingFence, parseFence } from '../files/index.js';
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
const HARMONY = ['<|start|>', '<|channel|>', '<|message|>', '<|end|>', '<|return|>', '<|call|>', '<|constrain|>'] as const;
type Marker = '<think>' | '</think>' | (typeof HARMONY)[number];
// Any case (`<THINK>`), a space or attributes before '>' (`<think >`, `<think type="x">`), bounded
// so a partial marker carried between chunks stays short. Group 1: an opener, group 2: a closer.
const THINK_OPEN = '<think(?:ing)?(?:\\s[^<>\\n]{0,40})?>|\\[THINK\\]|<\\|channel>';
const THINK_CLOSE = '<\\/\\s?think(?:ing)?\\s?>|\\[\\/THINK\\]|<channel\\|>';
const MARKER_RE = new RegExp(`(${THINK_OPEN})|(${THINK_CLOSE})|${HARMONY.map((m) => m.replace(/[|]/g, '\\$&')).join('|')}`, 'gi');
/** What a chunk may end with that the next chunk could complete into a marker. */
const FIXED_MARKERS = [...HARMONY, '[think]', '[/think]', '<|channel>', '<channel|>'];
const PARTIAL_THINK = /^<(?:\/\s?)?(?:t(?:h(?:i(?:n(?:k(?:i(?:n(?:g)?)?)?)?)?)?)?)?$|^<think(?:ing)?\s[^<>\n]{0,40}$|^<\/\s?think(?:ing)?\s$/i;
const MAX_CARRY = 56;
/** A fence line longer than this is not followed (it is kept as the file's text either way). */
const MAX_FENCE_LINE = 4096;

/** The matched marker as `<think>` / `</think>` or the harmony marker it is. */
function canonical(m: RegExpExecArray): Marker {
  if (m[1] !== undefined) return '<think>';
  if (m[2] !== undefined) return '</think>';
  return m[0].toLowerCase() as Marker;
}
/** Tool names whose arguments carry a file (printed tool calls the extractor can read). */
const FILE_TOOL = /write|file|create|save|edit|patch/i;

type Mode = 'answer' | 'think' | 'pending' | 'h-header' | 'h-body' | 'h-between';

/** Where the longest suffix of `text` that could still grow into a marker starts (text.length if none). */
function partialMarkerAt(text: string): number {
  for (let i = Math.max(0, text.length - MAX_CARRY); i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x3c /* < */ && c !== 0x5b /* [ */) continue;
    const tail = text.slice(i).toLowerCase();
    if (FIXED_MARKERS.some((m) => m.length > tail.length && m.startsWith(tail)) || PARTIAL_THINK.test(tail)) return i;
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
  /** Open reasoning tags (think mode, or pending's explicit ones): a nested `</think>` does not end reasoning. */
  private depth = 0;
  /** The answer's open code fence (char and length), so a `</think>` inside a file stays in it. */
  private fenceChar = 0; // char code, 0 = none
  private fenceLen = 0;
  /** The answer's current line so far (capped: only its start can make it a fence line). */
  private line = '';

  constructor(options: ReasoningSplitterOptions = {}) {
    this.mode = options.assumeOpenThink ? 'pending' : 'answer';
    this.depth = options.assumeOpenThink ? 1 : 0;
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
      this.marker(canonical(m), m[0]);
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
        if (this.fenceChar !== 0 && (m === '<think>' || m === '</think>' || !this.harmonySeen)) {
          this.emitAnswer(raw); // inside a code block of the answer: the file's own text
          return;
        }
        if (m === '<think>') {
          if (this.answerLineBlank) {
            this.mode = 'think';
            this.depth = 1;
          } else this.emitAnswer(raw); // mid-line: part of the answer's own text (a string in code)
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
        // Nested tags count: `<think>a<think>b</think>draft</think>` keeps the draft in the reasoning.
        if (m === '</think>' && --this.depth === 0) {
          this.mode = 'answer';
          this.eatWs = true;
        } else {
          if (m === '<think>') this.depth++;
          this.emit('thinking', raw);
        }
        return;
      case 'pending':
        // Reasoning is open already (the template's `<think>`): an explicit opener with nothing
        // before it is that one written out; any later one is nested.
        if (m === '</think>') {
          if (this.depth > 1) {
            this.depth--;
            this.emit('thinking', raw);
            return;
          }
          this.held = '';
          this.mode = 'answer';
          this.eatWs = true;
        } else if (m === '<think>') {
          if (this.explicitOpen || /\S/.test(this.held)) this.depth++;
          this.explicitOpen = true;
          if (this.depth > 1) this.emit('thinking', raw);
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
    // The analysis channel is reasoning even when it addresses a tool: a drafted write_file there is not the answer.
    if (recipient && channel !== 'analysis') {
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
    // A BOM counts as blank: `\uFEFF<think>` opens reasoning like `<think>`.
    this.answerLineBlank = nl === -1 ? this.answerLineBlank && /^[ \t\uFEFF]*$/.test(text) : /^[ \t\r]*$/.test(text.slice(nl + 1));
    this.trackFences(text);
    this.emit('answer', text);
  }

  /**
   * Follows the answer's code fences (CommonMark: up to 3 spaces, 3+ backticks or tildes, closed by
   * the same char at least as long with nothing after it). Each line's start is looked at once.
   */
  private trackFences(text: string): void {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      if (this.line.length < MAX_FENCE_LINE) this.line += text.slice(from, Math.min(nl, from + MAX_FENCE_LINE));
      this.fenceLine(this.line);
      this.line = '';
      from = nl + 1;
    }
    if (from < text.length && this.line.length < MAX_FENCE_LINE) this.line += text.slice(from, from + MAX_FENCE_LINE);
  }

  /** The extractor's own fence rules (extractor-syntax.ts), so both agree on where a file's text is. */
  private fenceLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.fenceChar === 0) {
      const f = parseFence(line);
      if (f) {
        this.fenceChar = f.char;
        this.fenceLen = f.len;
      }
    } else if (isClosingFence(line, this.fenceChar, this.fenceLen)) {
      this.fenceChar = 0;
    }
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
