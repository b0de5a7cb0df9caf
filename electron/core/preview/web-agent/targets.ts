// How a name in a plain step becomes an element on the page, the way a person would look
// for it: by role and accessible name first, then placeholder, label and visible text.
// The first strategy that finds a visible element wins; exact names before partial ones.
import type { Locator, Page } from 'playwright-core';

type Role = Parameters<Page['getByRole']>[0];

/** The first visible match, strategy by strategy; `orHidden`: else the first match at all (an empty list has no height). */
async function firstVisible(candidates: Array<() => Locator>, orHidden = false): Promise<Locator | null> {
  let hidden: Locator | null = null;
  for (const make of candidates) {
    const loc = make();
    const n = await loc.count();
    for (let i = 0; i < Math.min(n, 20); i++) {
      const one = loc.nth(i);
      if (await one.isVisible()) return one;
      hidden ??= one;
    }
  }
  return orHidden ? hidden : null;
}

/** A button or link (or a control acting as one) named `name`. */
export function findClickable(page: Page, name: string, role: 'button' | 'link' | null): Promise<Locator | null> {
  const roles: Role[] = role === 'link' ? ['link', 'button'] : ['button', 'link'];
  const others: Role[] = ['menuitem', 'tab', 'checkbox', 'radio', 'option', 'switch'];
  return firstVisible([
    ...roles.map((r) => () => page.getByRole(r, { name, exact: true })),
    ...roles.map((r) => () => page.getByRole(r, { name })),
    ...others.map((r) => () => page.getByRole(r, { name })),
    () => page.getByText(name, { exact: true }),
    () => page.getByText(name),
    () => page.getByTitle(name),
  ]);
}

/** Words that mean "the (only) text field" rather than naming one. */
const GENERIC_FIELD = /^(?:input|text ?input|text ?field|field|text ?box|textbox|box|search|search box|textarea|text area)$/i;

/** A field to type into named `name`: by label, placeholder, accessible name, name/id attribute; "the input" is the only (first) one. */
export function findField(page: Page, name: string): Promise<Locator | null> {
  const attr = name.replace(/["\\]/g, '');
  const generic = GENERIC_FIELD.test(name.trim());
  return firstVisible([
    () => page.getByLabel(name, { exact: true }),
    () => page.getByPlaceholder(name, { exact: true }),
    () => page.getByRole('textbox', { name, exact: true }),
    () => page.getByLabel(name),
    () => page.getByPlaceholder(name),
    () => page.getByRole('textbox', { name }),
    () => page.getByRole('searchbox', { name }),
    () => page.getByRole('spinbutton', { name }),
    () => page.getByRole('combobox', { name }),
    () => page.locator(`[name="${attr}" i], [id="${attr}" i]`),
    ...(generic ? [() => page.locator('input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=checkbox]):not([type=radio]), textarea, [contenteditable="true"]')] : []),
  ]);
}

const PLACE_ROLES: Record<string, Role> = {
  list: 'list',
  'item list': 'list',
  items: 'list',
  heading: 'heading',
  title: 'heading',
  header: 'banner',
  table: 'table',
  main: 'main',
  'main content': 'main',
  navigation: 'navigation',
  nav: 'navigation',
  menu: 'menu',
  form: 'form',
  dialog: 'dialog',
  alert: 'alert',
  status: 'status',
  footer: 'contentinfo',
};

/** Where an expected text should be ("in the list"): a region by role, label, test id, id or class; null: none on the page. */
export function findPlace(page: Page, place: string): Promise<Locator | null> {
  const key = place.trim().toLowerCase();
  const role = PLACE_ROLES[key];
  const ident = key.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return firstVisible([
    ...(role ? [() => page.getByRole(role)] : []),
    () => page.getByLabel(place),
    () => page.getByTestId(place),
    () => page.getByRole('region', { name: place }),
    ...(/^[a-z][a-z0-9-]*$/.test(ident) ? [() => page.locator(`#${ident}, .${ident}`)] : []),
    // "the todo list": a list element that is the only one of its kind.
    ...(/\blist$/.test(key) ? [() => page.getByRole('list')] : []),
  ], true);
}
