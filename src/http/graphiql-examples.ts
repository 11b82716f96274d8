// What GraphiQL opens with: one tab per task, each with the values its operations need, so
// that every operation of the API can be tried as it stands. test/graphiql-examples.test.ts
// checks them against the schema; test/clients/graphiql.test.ts runs the first tab in a browser.
import type { GraphiQLOptions } from 'graphql-yoga';

const email = 'ada@example.com';
const password = 'correct horse battery staple';

/** A tab as GraphiQL takes it: the document, and the JSON of its variables. */
export interface ExampleTab {
  query: string;
  variables?: string;
}

function variables(values: Record<string, string>): string {
  return JSON.stringify(values, null, 2);
}

// GraphiQL 5 fills Variables from a tab only when that tab is opened, not for the first tab
// on the first visit: the first tab's operations therefore carry their values inline.
const signIn = `# Welcome to the Auth API. ▶ runs an operation:
# pick Register, then Login, then Me. Login sets an
# HttpOnly session cookie that this browser keeps,
# so Me answers with you until Logout.

mutation Register {
  register(
    email: "${email}"
    password: "${password}"
  ) { id email createdAt }
}

mutation Login {
  login(
    email: "${email}"
    password: "${password}"
  ) { id email createdAt }
}

query Me {
  me { id email createdAt emailVerified }
}

mutation Logout {
  logout
}
`;

const sessions = `# Your live sessions (log in first, in the first tab);
# current: true marks this browser's.
query Sessions {
  sessions {
    id
    createdAt
    lastSeenAt
    expiresAt
    userAgent
    current
  }
}

# Ends one of your sessions: put its id in Variables.
mutation RevokeSession($id: ID!) {
  revokeSession(id: $id)
}

# Ends all your sessions, this one too; answers how many.
mutation LogoutEverywhere {
  logoutEverywhere
}
`;

const passwords = `# Needs a session. Ends your other sessions and renews
# this one. The values are in Variables below.
mutation ChangePassword(
  $currentPassword: String!
  $newPassword: String!
) {
  changePassword(
    currentPassword: $currentPassword
    newPassword: $newPassword
  )
}

# Always true. If the account exists, it mails a link
# with ?token=… (without SMTP_URL: in the server's log).
mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email)
}

# The token works once, for 30 minutes by default,
# and every session of the account ends.
mutation ResetPassword($token: String!, $newPassword: String!) {
  resetPassword(token: $token, newPassword: $newPassword)
}
`;

const address = `# Register mails a link to prove the address (without
# SMTP_URL: in the server's log); its page calls this.
mutation VerifyEmail($token: String!) {
  verifyEmail(token: $token)
}

# Always true. Mails a new link if the account exists
# and its address is not proven yet.
mutation RequestEmailVerification($email: String!) {
  requestEmailVerification(email: $email)
}

# Needs a session. Mails a link to the new address; the
# address changes when VerifyEmail gets that link's token.
mutation ChangeEmail(
  $newEmail: String!
  $currentPassword: String!
) {
  changeEmail(
    newEmail: $newEmail
    currentPassword: $currentPassword
  )
}

# Needs a session. Removes the account and all of it.
mutation DeleteAccount($currentPassword: String!) {
  deleteAccount(currentPassword: $currentPassword)
}
`;

const operators = `# Administrators only (npm run user:role -- <email> ADMIN
# makes the first). Accounts whose email contains search,
# oldest first; pass pageInfo.endCursor as after for more.
query Users($search: String, $first: Int, $after: String) {
  users(search: $search, first: $first, after: $after) {
    edges { cursor node { id email createdAt emailVerified role disabled } }
    pageInfo { hasNextPage endCursor }
  }
}

# Ends every session of the account at once; its password
# then answers ACCOUNT_DISABLED until EnableUser.
mutation DisableUser($id: ID!) {
  disableUser(id: $id)
}

mutation EnableUser($id: ID!) {
  enableUser(id: $id)
}

# Ends every session of the account; answers how many.
mutation RevokeUserSessions($id: ID!) {
  revokeUserSessions(id: $id)
}

# USER or ADMIN; not your own.
mutation SetUserRole($id: ID!, $role: Role!) {
  setUserRole(id: $id, role: $role)
}

# Removes the account and everything of it; not your own.
mutation DeleteUser($id: ID!) {
  deleteUser(id: $id)
}
`;

const passkeys = `# Passkeys need navigator.credentials in a page: GET
# /passkeys runs both ceremonies with @simplewebauthn/
# browser. Here: the options a page hands the browser,
# and your passkeys (log in first, in the first tab).
query Passkeys {
  passkeys { id name createdAt lastUsedAt }
}

# Needs a session: PublicKeyCredentialCreationOptionsJSON.
mutation PasskeyRegistrationOptions {
  passkeyRegistrationOptions
}

# response: the RegistrationResponseJSON the browser made.
mutation RegisterPasskey($response: JSON!, $name: String) {
  registerPasskey(response: $response, name: $name) {
    id name createdAt
  }
}

# No session: options for a discoverable-credential login.
mutation PasskeyLoginOptions {
  passkeyLoginOptions
}

# response: the AuthenticationResponseJSON; sets the
# session cookie, like Login.
mutation LoginWithPasskey($response: JSON!) {
  loginWithPasskey(response: $response) { id email }
}

# False for an id that is not one of your passkeys.
mutation RemovePasskey($id: ID!) {
  removePasskey(id: $id)
}
`;

const secondFactor = `# Two-factor authentication (needs a session). Start,
# add the secret (or the uri as a QR code) to an
# authenticator app, confirm with its 6-digit code:
# the answer is 10 recovery codes, shown once.
mutation StartTotpEnrollment($currentPassword: String!) {
  startTotpEnrollment(currentPassword: $currentPassword) { secret uri }
}

mutation ConfirmTotpEnrollment($code: String!) {
  confirmTotpEnrollment(code: $code)
}

query MfaStatus {
  me { id mfaEnabled recoveryCodesRemaining }
}

# Once it is on, Login answers MFA_REQUIRED and sets a
# challenge cookie; finish within 5 minutes with a code
# from the app or a recovery code.
mutation VerifyMfa($code: String!) {
  verifyMfa(code: $code) { id email createdAt }
}

# A current TOTP code: the old recovery codes stop working.
mutation RegenerateRecoveryCodes($code: String!) {
  regenerateRecoveryCodes(code: $code)
}

# A current code (TOTP or recovery) turns it off again.
mutation DisableTotp($code: String!) {
  disableTotp(code: $code)
}
`;

const defaultTabs: ExampleTab[] = [
  { query: signIn },
  { query: sessions, variables: variables({ id: 'an id from Sessions' }) },
  {
    query: passwords,
    variables: variables({ currentPassword: password, newPassword: 'another long passphrase', email, token: 'the token from the mail' }),
  },
  {
    query: address,
    variables: variables({ token: 'the token from the mail', email, newEmail: 'ada@new.example.com', currentPassword: password }),
  },
  {
    query: operators,
    variables: JSON.stringify({ search: 'example.com', first: 20, after: null, id: 'a user id from Users', role: 'USER' }, null, 2),
  },
  {
    query: passkeys,
    variables: variables({ response: 'the JSON from the browser', name: 'Laptop', id: 'an id from Passkeys' }),
  },
  { query: secondFactor, variables: variables({ currentPassword: password, code: 'the 6-digit code from the app' }) },
];

export const graphiqlExamples = {
  defaultTabs,
  // A tab opened with + starts empty but for this hint.
  defaultQuery: '# Write an operation here; the first tabs hold an example of each.\n',
} satisfies GraphiQLOptions;
