// What a code-taking argument holds: a TOTP code or a recovery code, told apart by their shape.
// A value that is neither cannot be right, so it is refused as input (BAD_USER_INPUT, field
// `code`) before any limit is spent on it; a well-formed code that does not match is a wrong
// guess (INVALID_CODE), and counted.
import { InvalidInputError } from '../errors.ts';
import { normaliseRecoveryCode } from './recovery-codes.ts';
import { isTotpCodeShape } from './totp.ts';

export type SecondFactorCode = { kind: 'totp'; code: string } | { kind: 'recovery'; normalised: string };

/** Longer than any code with spaces typed in; longer input is not read further. */
const MAX_CODE_LENGTH = 64;

export function parseSecondFactorCode(input: string, field = 'code'): SecondFactorCode {
  if (input.length <= MAX_CODE_LENGTH) {
    const digits = input.replace(/\s/g, '');
    if (isTotpCodeShape(digits)) return { kind: 'totp', code: digits };
    const normalised = normaliseRecoveryCode(input);
    if (normalised !== null) return { kind: 'recovery', normalised };
  }
  throw new InvalidInputError(field, 'Enter the 6-digit code from the authenticator app, or a recovery code.');
}
