// Domain errors, each carrying its contract code (API.md, "Errors"). They hold no secret and no
// detail an attacker could use; schema/errors.ts turns them into GraphQL errors, in one place.

export abstract class AuthError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The name of the argument that was refused, exactly as the schema spells it (API.md:
 * `extensions.field` names the argument). A string rather than a closed list because the edge's
 * input rules (http/input-rules.ts) refuse any argument of any operation, including ones added
 * later. It is always a schema name, never text from the request.
 */
export type InputField = string;

export class InvalidInputError extends AuthError {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    readonly field: InputField,
    message: string,
  ) {
    super(message);
  }
}

export class EmailTakenError extends AuthError {
  readonly code = 'EMAIL_TAKEN';
  constructor() {
    super('An account with this email already exists.');
  }
}

/** One message for an unknown email and a wrong password alike (API.md). */
export class InvalidCredentialsError extends AuthError {
  readonly code = 'INVALID_CREDENTIALS';
  constructor() {
    super('Invalid email or password.');
  }
}

export class UnauthenticatedError extends AuthError {
  readonly code = 'UNAUTHENTICATED';
  constructor() {
    super('You must be logged in.');
  }
}

/** Unknown, expired and used tokens answer alike. */
export class InvalidTokenError extends AuthError {
  readonly code = 'INVALID_TOKEN';
  constructor() {
    super('This link is invalid, has expired or was already used.');
  }
}

/** Only after the right password (API.md): it tells nothing to someone who does not hold it. */
export class EmailNotVerifiedError extends AuthError {
  readonly code = 'EMAIL_NOT_VERIFIED';
  constructor() {
    super('Confirm your email address first: open the link we mailed you, or ask for a new one.');
  }
}

export class RateLimitedError extends AuthError {
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many attempts. Try again later.');
  }
}

/** Only after the credentials were proven (API.md): it tells nothing to someone who does not hold them. */
export class AccountDisabledError extends AuthError {
  readonly code = 'ACCOUNT_DISABLED';
  constructor() {
    super('This account has been disabled by an administrator.');
  }
}

/** An operation for administrators, called with a session that is not one. */
export class ForbiddenError extends AuthError {
  readonly code = 'FORBIDDEN';
  constructor() {
    super('Only administrators may do this.');
  }
}

/** How the second step of a login can be passed (API.md: `extensions.methods`). */
export const MFA_METHODS = ['TOTP', 'RECOVERY_CODE'] as const;

/**
 * The password was right and the account has MFA on: no session yet, only the challenge cookie;
 * continue with verifyMfa. Comes only after the password was proven, so it tells nothing to
 * someone who does not hold it.
 */
export class MfaRequiredError extends AuthError {
  readonly code = 'MFA_REQUIRED';
  readonly methods = MFA_METHODS;
  constructor() {
    super('A second factor is required: continue with verifyMfa.');
  }
}

/** Wrong, already used, or outside the accepted time steps: one answer for all. */
export class InvalidCodeError extends AuthError {
  readonly code = 'INVALID_CODE';
  constructor() {
    super('The code is not valid.');
  }
}
