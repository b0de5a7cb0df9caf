// The accessibility pass of the e2e run: axe-core (node_modules/axe-core/axe.min.js) injected
// into the page under test, run with the WCAG 2 A/AA rules, and a keyboard walk (Tab from the
// top of the page) compared with every control the page shows.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './helpers.js';

const AXE_SCRIPT = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  /** The first few offending elements (CSS selectors) and what axe says about the first. */
  targets: string[];
  summary: string;
}

/** The impacts that fail the pass ("no serious violations"); moderate and minor are reported, not fatal. */
export const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/** Run axe-core on the page (injected once per document) with the wcag2a/wcag2aa rules. */
export async function runAxe(page: Page, opts: { exclude?: string[] } = {}): Promise<AxeFinding[]> {
  // Not page.addScriptTag: the UI's CSP (script-src 'self') refuses inline scripts; an evaluate from the driver is not a page script.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(fs.readFileSync(AXE_SCRIPT, 'utf8'));
  return page.evaluate(async (exclude: string[]) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- axe is the injected global
    const axe = (window as any).axe;
    // Monaco's and xterm's own DOM (hidden text areas, measuring spans) and the preview's iframe (the user's app) are not MACS's UI.
    const context = { include: [['body']], exclude: exclude.map((s) => [s]) };
    const result = await axe.run(context, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- axe's result shape
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- axe's node shape
      targets: v.nodes.slice(0, 8).map((n: any) => {
        const why = String(n.any?.[0]?.message ?? n.all?.[0]?.message ?? '').replace(/\s+/g, ' ');
        const contrast = /contrast of ([\d.]+) \(foreground color: (#\w+), background color: (#\w+)/.exec(why);
        return `${n.target.join(' ')}${contrast ? ` (${contrast[1]}: ${contrast[2]} on ${contrast[3]})` : ''}`;
      }),
      summary: String(v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
    }));
  }, opts.exclude ?? []);
}

/** Only what fails the pass. */
export function blocking(findings: AxeFinding[]): AxeFinding[] {
  return findings.filter((f) => f.impact !== null && BLOCKING_IMPACTS.has(f.impact));
}

export function describeFindings(screen: string, findings: AxeFinding[]): string {
  return findings.map((f) => `[${screen}] ${f.impact} ${f.id}: ${f.help}\n    ${f.targets.join('\n    ')}\n    ${f.summary}`).join('\n');
}

/** The parts of the page whose DOM belongs to an embedded widget or to the user's app, not to MACS's controls. */
export const AXE_EXCLUDE = ['.monaco-editor', '.xterm', 'iframe[data-testid="preview-frame"]'];

export interface KeyboardWalk {
  /** Controls Tab reached, in order (a short label each). */
  reached: string[];
  /** Visible, enabled controls the page shows that Tab never reached. */
  unreached: string[];
  /** Controls that had focus without a visible focus indicator (no outline and no box-shadow). */
  invisibleFocus: string[];
}

/**
 * Press Tab from the top of the page until focus comes back around (or `max` presses), then list the
 * page's visible interactive elements Tab did not reach. Elements inside `skip` (Monaco, xterm, iframes)
 * are widgets with their own keyboard handling: they count as reached when focus enters them.
 */
export async function walkWithTab(page: Page, max = 250): Promise<KeyboardWalk> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a scratch list on window
    (window as any).__macsReached = [];
    const label = (el: Element): string => {
      const h = el as HTMLElement;
      const text = (h.getAttribute('aria-label') ?? h.getAttribute('data-testid') ?? h.innerText ?? h.tagName).trim().replace(/\s+/g, ' ');
      return `${h.tagName.toLowerCase()}:${text.slice(0, 40)}`;
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- helpers on window for the walk
    (window as any).__macsLabel = label;
  });
  const reached: string[] = [];
  const invisibleFocus: string[] = [];
  let previousInMonaco = false;
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- helpers set above
      const w = window as any;
      if (w.__macsReached.length > 0 && el === w.__macsReached[0]) return { wrapped: true, label: '', visible: true, inMonaco: false };
      w.__macsReached.push(el);
      const style = getComputedStyle(el);
      // The field itself or the box around it (a composer's :focus-within border) may carry the indicator.
      const boxes = [el, el.parentElement, el.parentElement?.parentElement].filter((b): b is HTMLElement => b instanceof HTMLElement);
      const lookOf = (b: HTMLElement) => {
        const s = getComputedStyle(b);
        return `${s.borderColor}|${s.backgroundColor}|${s.boxShadow}|${s.outlineStyle}|${s.outlineColor}`;
      };
      const look = () => boxes.map(lookOf).join(';');
      let visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      if (!visible) {
        // A field may show focus by its border or background instead: compare with how it looks unfocused.
        const focused = look();
        el.blur();
        const unfocused = look();
        el.focus();
        visible = focused !== unfocused;
      }
      const widget = el.closest('.monaco-editor, .xterm, iframe') !== null;
      const inMonaco = el.closest('.monaco-editor') !== null;
      return { wrapped: false, label: w.__macsLabel(el) as string, visible: visible || widget, inMonaco };
    });
    if (!info) continue;
    if (info.wrapped) break;
    // Monaco keeps Tab for indenting, as editors do; Ctrl+M ("Tab moves focus", a global toggle) is its
    // documented way out. Still inside after a Tab: undo the tab it typed and switch the mode on.
    if (info.inMonaco && previousInMonaco) {
      await page.keyboard.press('Control+z');
      await page.keyboard.press('Control+m');
    }
    previousInMonaco = info.inMonaco;
    reached.push(info.label);
    if (!info.visible) invisibleFocus.push(info.label);
  }
  const unreached = await page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- helpers set above
    const w = window as any;
    const got: Element[] = w.__macsReached;
    const candidates = Array.from(document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [tabindex], [role="tab"], [role="button"]'));
    return candidates
      .filter((el) => {
        if ((el as HTMLButtonElement).disabled) return false;
        if (el.closest('.monaco-editor, .xterm, [aria-hidden="true"], [inert]')) return false;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        const s = getComputedStyle(el);
        if (s.visibility === 'hidden' || s.display === 'none') return false;
        // A roving-tabindex group (tabs, tree rows) is reached when any member is.
        const group = el.closest('[role="tablist"], [role="tree"], [role="listbox"], [role="radiogroup"], [role="toolbar"], [role="menu"]');
        if (group && got.some((g) => group.contains(g))) return false;
        // A hidden file input behind a button, or an element inside a reached one, is the same control.
        if (el instanceof HTMLInputElement && el.type === 'file') return false;
        return !got.some((g) => g === el || g.contains(el));
      })
      .map((el) => w.__macsLabel(el) as string);
  });
  return { reached, unreached, invisibleFocus };
}
