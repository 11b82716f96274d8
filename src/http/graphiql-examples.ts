/** The document GraphiQL opens with: every operation a first-time user will want to try. */
export const exampleOperations = `# Welcome to the Auth API. Run the operations one by one (▶ lists them).
# The session cookie set by login is kept by this browser, so "Me" works after "Login".

mutation Register {
  register(email: "ada@example.com", password: "correct horse battery staple") { id email createdAt }
}

mutation Login {
  login(email: "ada@example.com", password: "correct horse battery staple") { id email }
}

query Me {
  me { id email createdAt }
}

query Sessions {
  sessions { id createdAt lastSeenAt expiresAt userAgent current }
}

mutation Logout {
  logout
}
`;
