// The build pipeline's test-step helpers: which command runs a project's tests, what its
// output says, and the TestReport built from a run.
export { commandFromString, conventionalTestCommand, displayCommand, type TestCommand } from './test-command.js';
export { parseTestOutput, relevantTail, stripAnsi, type ParsedTestOutput } from './test-output.js';
export { buildTestReport, formatTestReportForPrompt, summarizeTestReport, type TestRunResult } from './test-report.js';
