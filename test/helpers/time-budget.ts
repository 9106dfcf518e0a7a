// Each project's time budget per test (jest.config.js BUDGETS, handed over in `globals`): jest
// reads `testTimeout` from the top-level configuration only, not from a project's.
declare const TEST_BUDGET_MS: number;
jest.setTimeout(TEST_BUDGET_MS);
