// The smoke scenarios' plain steps (shared/app-run.ts SmokeScenarioSchema) → actions the
// browser runner performs. Tolerant of how a model phrases them (quotes, "the", case, a
// trailing period, "button"/"link" after a name), strict about what they mean: a step that
// matches no form is reported as not understood, never guessed at.

export type StepAction =
  | { kind: 'open'; path: string }
  | { kind: 'type'; text: string; field: string }
  | { kind: 'click'; target: string; role: 'button' | 'link' | null }
  | { kind: 'press'; key: string }
  | { kind: 'expect-text'; text: string; place: string | null }
  | { kind: 'expect-no-text'; text: string }
  | { kind: 'expect-title'; text: string };

export type ParsedStep = { ok: true; action: StepAction } | { ok: false; reason: string };

export const STEP_FORMS =
  '"open /path", "type <text> into <field>", "click <button or link>", "press <key>", "expect the text <text> [in <place>]", "expect no text <text>", "expect the title <text>"';

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '`': '`', '“': '”', '‘': '’', '«': '»' };

/** A quoted value at the start of `s`: its text and what follows, or null when `s` does not start with a quote. */
function leadingQuoted(s: string): { value: string; rest: string } | null {
  const close = QUOTES[s[0] ?? ''];
  if (!close) return null;
  const end = s.indexOf(close, 1);
  if (end < 0) return null;
  return { value: s.slice(1, end), rest: s.slice(end + 1).trim() };
}

/** Quotes around the whole value go; an article before a name ("the Add button") goes. */
function unquote(s: string): string {
  const t = s.trim();
  const q = leadingQuoted(t);
  return q && q.rest === '' ? q.value : t;
}

function stripArticle(s: string): string {
  return s.replace(/^(?:the|a|an)\s+/i, '');
}

/** A name the page shows: unquoted, without "the", without a trailing "button"/"link"/"field". */
function nameOf(s: string): { name: string; kind: string | null } {
  const t = unquote(stripArticle(s.trim()));
  if (leadingQuoted(t) === null) {
    const m = /^(.*?)\s+(button|link|field|input|box|text ?box|textarea)$/i.exec(t);
    if (m && m[1].trim()) return { name: unquote(m[1].trim()), kind: m[2].toLowerCase() };
  } else {
    // "'Add' button": the quoted part is the name.
    const q = leadingQuoted(t)!;
    if (/^(button|link|field|input|box|text ?box|textarea)?$/i.test(q.rest)) return { name: q.value, kind: q.rest.toLowerCase() || null };
  }
  return { name: t, kind: null };
}

/**
 * "<value> <separator> <place>": a quoted value may hold the separator word itself
 * ("type 'drag into place' into the title"); an unquoted one ends at the last separator.
 */
function splitAt(s: string, separators: RegExp): { value: string; place: string | null } {
  const q = leadingQuoted(s);
  if (q) {
    const m = new RegExp(`^(?:${separators.source})\\s+(.+)$`, 'i').exec(q.rest);
    if (q.rest === '') return { value: q.value, place: null };
    return m ? { value: q.value, place: m[1].trim() } : { value: s, place: null };
  }
  const re = new RegExp(`^(.+)\\s+(?:${separators.source})\\s+(.+)$`, 'i');
  const m = re.exec(s);
  return m ? { value: m[1].trim(), place: m[2].trim() } : { value: s, place: null };
}

const KEY_NAMES: Record<string, string> = {
  enter: 'Enter',
  return: 'Enter',
  tab: 'Tab',
  escape: 'Escape',
  esc: 'Escape',
  space: 'Space',
  spacebar: 'Space',
  backspace: 'Backspace',
  delete: 'Delete',
  del: 'Delete',
  'arrow up': 'ArrowUp',
  up: 'ArrowUp',
  'arrow down': 'ArrowDown',
  down: 'ArrowDown',
  'arrow left': 'ArrowLeft',
  left: 'ArrowLeft',
  'arrow right': 'ArrowRight',
  right: 'ArrowRight',
  home: 'Home',
  end: 'End',
};

const PLAYWRIGHT_KEYS = new Set(['Enter', 'Tab', 'Escape', 'Space', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);

function keyOf(s: string): string | null {
  const t = unquote(stripArticle(s)).replace(/\s+key$/i, '').trim();
  const known = KEY_NAMES[t.toLowerCase()];
  if (known) return known;
  // Playwright's own names, single characters and chords: "PageDown", "a", "Control+A".
  const chord = /^((?:(?:Control|Shift|Alt|Meta)\+)*)(.+)$/.exec(t);
  if (!chord) return null;
  const [, mods, last] = chord;
  const base = KEY_NAMES[last.toLowerCase()] ?? (PLAYWRIGHT_KEYS.has(last) || /^(?:[A-Za-z0-9]|F\d{1,2})$/.test(last) ? last : null);
  return base === null ? null : mods + base;
}

export function parsePlainStep(raw: string): ParsedStep {
  const step = raw.trim().replace(/\s+/g, ' ').replace(/[.;]$/, '').trim();
  const notUnderstood = (why?: string): ParsedStep => ({
    ok: false,
    reason: `The step "${raw.trim()}" is not understood${why ? ` (${why})` : ''}; a step is one of ${STEP_FORMS}.`,
  });
  let m: RegExpExecArray | null;

  if ((m = /^(?:open|go to|goto|visit|navigate to|load)\s+(?:the\s+)?(?:page\s+)?(.+)$/i.exec(step))) {
    const target = unquote(m[1]);
    if (/^(?:home ?page|start page|app|site)$/i.test(target)) return { ok: true, action: { kind: 'open', path: '/' } };
    if (!target.startsWith('/')) return notUnderstood('open takes a path that starts with /');
    return { ok: true, action: { kind: 'open', path: target } };
  }
  if ((m = /^(?:type|enter|write|input|fill in)\s+(.+)$/i.exec(step))) {
    const { value, place } = splitAt(m[1], /into|in|on/);
    if (!place) return notUnderstood('say which field: "type <text> into <field>"');
    const text = unquote(value);
    const field = nameOf(place).name;
    if (!text || !field) return notUnderstood();
    return { ok: true, action: { kind: 'type', text, field } };
  }
  if ((m = /^(?:click|tap|press|push|select)\s+(?:on\s+)?(.+)$/i.exec(step))) {
    const { name, kind } = nameOf(m[1]);
    // "press Enter" is a key; "press the Add button" is a click.
    if (/^(?:press)/i.test(step) && kind === null) {
      const key = keyOf(m[1]);
      if (key) return { ok: true, action: { kind: 'press', key } };
    }
    if (!name) return notUnderstood();
    const role = kind === 'button' ? 'button' : kind === 'link' ? 'link' : null;
    return { ok: true, action: { kind: 'click', target: name, role } };
  }
  if ((m = /^(?:hit|press key|key)\s+(.+)$/i.exec(step))) {
    const key = keyOf(m[1]);
    return key ? { ok: true, action: { kind: 'press', key } } : notUnderstood(`"${m[1]}" is not a key name`);
  }
  if ((m = /^(?:expect|check|verify|assert|see)\s+(?:that\s+)?((?:to\s+)?see\s+)?(.+)$/i.exec(step))) {
    // "expect to see milk in the list", "see milk": the text form without the word "text".
    const sees = m[1] !== undefined || /^see\b/i.test(step);
    const body = sees && !/^(?:the\s+)?(?:page\s+)?(?:title|text)\b|^(?:no|not)\b/i.test(m[2]) ? `text ${m[2]}` : m[2];
    let e: RegExpExecArray | null;
    if ((e = /^(?:the\s+)?(?:page\s+)?title\s+(?:to\s+be\s+|is\s+|contains?\s+|of\s+)?(.+)$/i.exec(body))) {
      const text = unquote(e[1]);
      return text ? { ok: true, action: { kind: 'expect-title', text } } : notUnderstood();
    }
    if ((e = /^(?:no|not)\s+(?:the\s+)?(?:text\s+)?(.+)$/i.exec(body))) {
      const text = unquote(e[1]);
      return text ? { ok: true, action: { kind: 'expect-no-text', text } } : notUnderstood();
    }
    if ((e = /^(?:the\s+)?text\s+(.+)$/i.exec(body))) {
      const { value, place } = splitAt(e[1], /in|inside|within|on/);
      const text = unquote(value);
      if (!text) return notUnderstood();
      return { ok: true, action: { kind: 'expect-text', text, place: place ? nameOf(place).name : null } };
    }
    return notUnderstood('an expectation is "expect the text <text>", "expect no text <text>" or "expect the title <text>"');
  }
  return notUnderstood();
}

/** A file-name-safe slug of a scenario's name ("Adds an item!" → "adds-an-item"). */
export function scenarioSlug(name: string, index: number): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || `scenario-${index + 1}`;
}
