// The operations the tests send, as a client app would write them.
export const Register = /* GraphQL */ `
  mutation Register($email: String!, $password: String!) {
    register(email: $email, password: $password) { id email createdAt }
  }
`;
export const Login = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { id email createdAt }
  }
`;
export const Me = /* GraphQL */ `
  query Me { me { id email createdAt } }
`;
export const Sessions = /* GraphQL */ `
  query Sessions { sessions { id createdAt lastSeenAt expiresAt userAgent current } }
`;
export const Logout = /* GraphQL */ `
  mutation Logout { logout }
`;
export const RevokeSession = /* GraphQL */ `
  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }
`;
export const LogoutEverywhere = /* GraphQL */ `
  mutation LogoutEverywhere { logoutEverywhere }
`;
export const ChangePassword = /* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`;
export const RequestPasswordReset = /* GraphQL */ `
  mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }
`;
export const ResetPassword = /* GraphQL */ `
  mutation ResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword)
  }
`;

export const ada = { email: 'ada@example.com', password: 'correct horse battery' };
export const bob = { email: 'bob@example.com', password: 'tr0ub4dor & 3 more' };
