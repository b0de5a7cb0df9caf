// Where the probe goes into a page: first in <head>, after the doctype when there is no head,
// never twice, and without re-encoding the page's bytes.
import { describe, expect, it } from 'vitest';
import { injectProbe, injectProbeBytes, wantsProbe } from '../../electron/core/preview/proxy/html.js';

const TAG = '<script src="/__macs/probe.js"></script>';

describe('injectProbe', () => {
  it('puts the probe first in <head>, else after <html>, else after the doctype, else at the start', () => {
    expect(injectProbe('<!DOCTYPE html><html lang="en"><HEAD data-x="1"><title>t</title></HEAD></html>')).toBe(`<!DOCTYPE html><html lang="en"><HEAD data-x="1">${TAG}<title>t</title></HEAD></html>`);
    expect(injectProbe('<!doctype html><html><body>x</body></html>')).toBe(`<!doctype html><html>${TAG}<body>x</body></html>`);
    expect(injectProbe('<!doctype html>\n<p>x</p>')).toBe(`<!doctype html>${TAG}\n<p>x</p>`);
    expect(injectProbe('<p>x</p>')).toBe(`${TAG}<p>x</p>`);
    // <header> is not <head>.
    expect(injectProbe('<header>h</header>')).toBe(`${TAG}<header>h</header>`);
  });

  it('never twice', () => {
    const once = injectProbe('<html><head></head></html>');
    expect(injectProbe(once)).toBe(once);
  });

  it('keeps the bytes of a UTF-8 or latin1 page as they are', () => {
    const utf8 = Buffer.from('<html><head></head><body>Einkäufe 🛒</body></html>', 'utf8');
    expect(injectProbeBytes(utf8).toString('utf8')).toBe(`<html><head>${TAG}</head><body>Einkäufe 🛒</body></html>`);
    const latin1 = Buffer.from('<html><head></head><body>Eink\xe4ufe</body></html>', 'latin1');
    expect(injectProbeBytes(latin1).equals(Buffer.concat([Buffer.from(`<html><head>${TAG}`), latin1.subarray(12)]))).toBe(true);
  });

  it('goes into documents and frames only, not into HTML a page fetches', () => {
    expect(wantsProbe({})).toBe(true);
    expect(wantsProbe({ 'sec-fetch-dest': 'document' })).toBe(true);
    expect(wantsProbe({ 'sec-fetch-dest': 'iframe' })).toBe(true);
    expect(wantsProbe({ 'sec-fetch-dest': 'empty' })).toBe(false);
  });
});
