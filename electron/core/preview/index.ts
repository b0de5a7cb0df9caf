// Public face of running what a project built (issue 14; DESIGN.md "Running what was built").
export type {
  AppProcessOptions,
  PreviewProxy,
  PreviewProxyOptions,
  PreviewService,
  PreviewServiceOptions,
  RunErrorReport,
  WebAgent,
} from './types.js';
export { BLANK_PAGE_MESSAGE, isBlankPageReport, startPreviewProxy } from './proxy/index.js';
export { errorsFromServerOutput, FingerprintBook, fingerprintOf, type ProjectFiles } from './fingerprints.js';
export { createWebAgent, findChromium, parsePlainStep, readScreenshot, resetScreenshotFolder, scenarioSlug, STEP_FORMS, type WebAgentOptions, type BrowserFound, type ParsedStep, type StepAction } from './web-agent/index.js';
export { createPreviewService } from './preview-service.js';
export { detectRunPlans, depsHashOf, missingTool, readProjectEntries, type DetectContext, type ReadText } from './detect/index.js';
export { RunSettingsStore } from './run-settings-store.js';
