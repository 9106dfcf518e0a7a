'use strict';
// argon2id on one of PasswordHasher's worker threads (password-hasher.ts), which the OS runs
// below the event loop's priority: a login storm takes the CPU the other requests leave over.
// Plain JavaScript because a worker thread loads it with Node's own require, in tests as well.
const { hashSync, verifySync } = require('@node-rs/argon2');

/** @param {{ hash?: string, password: string, options: import('@node-rs/argon2').Options }} task */
module.exports = function argon2(task) {
  if (task.hash === undefined) return hashSync(task.password, task.options);
  try {
    return verifySync(task.hash, task.password);
  } catch {
    return false; // not an argon2 hash (e.g. a disabled account's placeholder): no password matches it
  }
};
