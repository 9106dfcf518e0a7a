import crypto from 'node:crypto';

const LETTERS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/**
 * A random password with letters and digits (no look-alikes such as l/1, O/0), for temporary
 * and demo passwords. 12 characters from 55 symbols ≈ 69 bits.
 */
export function generatePassword(length = 12): string {
  const all = LETTERS + DIGITS;
  const chars = Array.from({ length }, () => all[crypto.randomInt(all.length)]);
  // Guarantee both classes at distinct random places so any policy of "letters and digits" accepts it.
  const letterAt = crypto.randomInt(length);
  const digitAt = (letterAt + 1 + crypto.randomInt(length - 1)) % length;
  chars[letterAt] = LETTERS[crypto.randomInt(LETTERS.length)];
  chars[digitAt] = DIGITS[crypto.randomInt(DIGITS.length)];
  return chars.join('');
}
