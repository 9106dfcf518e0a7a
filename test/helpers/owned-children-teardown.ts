import { killOwnedChildren } from './owned-children';

// After every test file of the projects that start processes (jest.config.js): whatever the file
// started and did not stop (its tests failed before their clean-up) is killed with it, so that
// no gateway, HAProxy or nginx outlives its test and no open pipe keeps jest from exiting.
afterAll(async () => {
  await killOwnedChildren();
});
