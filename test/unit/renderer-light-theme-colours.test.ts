// Light theme leftovers: a colour written as a literal in a stylesheet does not follow the theme.
// A dark background (or a pale text colour) literal reads well in dark and badly in light, so
// each one needs a `:root[data-theme='light']` rule for the same selector and property — or a
// reason on the allow list (scrims that dim whatever is under them, white on the accent).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const STYLES = path.resolve(import.meta.dirname, '../../renderer/src/styles');
const LIGHT = ":root[data-theme='light']";

/** Deliberate in both themes. */
const ALLOWED = new Set([
  '.modal-backdrop background', // a scrim: dims the page in either theme
  '.btn-danger color', // white on the red fill
  '.ficon-html color',
  '.ficon-css color',
  '.ficon-ts color',
  '.ficon-py color',
  '.ficon-md color',
]);

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

function parseHex(hex: string): Rgba {
  const h = hex.slice(1);
  const full = h.length <= 4 ? [...h].map((c) => c + c).join('') : h;
  const n = (i: number) => parseInt(full.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: full.length === 8 ? n(6) / 255 : 1 };
}

/** WCAG relative luminance. */
function luminance({ r, g, b }: Rgba): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

interface Decl {
  file: string;
  selector: string;
  prop: string;
  value: string;
}

/** Innermost rules only (those inside @media/@container keep their own selector). */
function declarations(): Decl[] {
  const out: Decl[] = [];
  for (const file of fs.readdirSync(STYLES).filter((f) => f.endsWith('.css'))) {
    const css = fs.readFileSync(path.join(STYLES, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      for (const selector of m[1].split(',').map((s) => s.trim().replace(/\s+/g, ' '))) {
        for (const d of m[2].split(';')) {
          const i = d.indexOf(':');
          if (i < 0) continue;
          out.push({ file, selector, prop: d.slice(0, i).trim(), value: d.slice(i + 1).trim() });
        }
      }
    }
  }
  return out;
}

/** The literal colours that would stay dark-theme in light: dark backgrounds, pale text. */
function darkOnly(d: Decl): boolean {
  const hex = /^#[0-9a-fA-F]{3,8}$/.exec(d.value)?.[0];
  if (!hex || d.file === 'base.css' || d.selector.includes('data-theme')) return false;
  const c = parseHex(hex);
  if (d.prop === 'background' || d.prop === 'background-color') return c.a >= 0.5 && luminance(c) < 0.05;
  if (d.prop === 'color') return c.a >= 0.5 && luminance(c) > 0.4;
  return false;
}

describe('light theme', () => {
  it('overrides every dark background and pale text colour written as a literal', () => {
    const decls = declarations();
    const overridden = new Set(decls.filter((d) => d.selector.startsWith(LIGHT)).map((d) => `${d.selector.slice(LIGHT.length).trim()} ${d.prop}`));
    const missing = decls
      .filter(darkOnly)
      .map((d) => `${d.selector} ${d.prop}`)
      .filter((key) => !overridden.has(key) && !ALLOWED.has(key));
    expect(missing).toEqual([]);
  });
});
