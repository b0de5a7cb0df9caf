// The web agent (issue 14): plain-step smoke scenarios run in a headless Chromium.
export { createWebAgent, type WebAgentOptions } from './browser-agent.js';
export { findChromium, type BrowserFound } from './find-browser.js';
export { parsePlainStep, scenarioSlug, STEP_FORMS, type ParsedStep, type StepAction } from './plain-steps.js';
export { readScreenshot, resetScreenshotFolder } from './screenshot-file.js';
