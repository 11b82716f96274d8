/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation Register($email: String!, $password: String!) {\n  register(email: $email, password: $password) {\n    id\n    email\n    createdAt\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    id\n    email\n    createdAt\n  }\n}\n\nquery Me {\n  me {\n    id\n    email\n    createdAt\n    emailVerified\n  }\n}\n\nquery Sessions {\n  sessions {\n    id\n    createdAt\n    lastSeenAt\n    expiresAt\n    userAgent\n    current\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation RevokeSession($id: ID!) {\n  revokeSession(id: $id)\n}\n\nmutation LogoutEverywhere {\n  logoutEverywhere\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nmutation RequestPasswordReset($email: String!) {\n  requestPasswordReset(email: $email)\n}\n\nmutation ResetPassword($token: String!, $newPassword: String!) {\n  resetPassword(token: $token, newPassword: $newPassword)\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token)\n}\n\nmutation RequestEmailVerification($email: String!) {\n  requestEmailVerification(email: $email)\n}\n\nmutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n  changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n}\n\nmutation DeleteAccount($currentPassword: String!) {\n  deleteAccount(currentPassword: $currentPassword)\n}": typeof types.RegisterDocument,
};
const documents: Documents = {
    "mutation Register($email: String!, $password: String!) {\n  register(email: $email, password: $password) {\n    id\n    email\n    createdAt\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    id\n    email\n    createdAt\n  }\n}\n\nquery Me {\n  me {\n    id\n    email\n    createdAt\n    emailVerified\n  }\n}\n\nquery Sessions {\n  sessions {\n    id\n    createdAt\n    lastSeenAt\n    expiresAt\n    userAgent\n    current\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation RevokeSession($id: ID!) {\n  revokeSession(id: $id)\n}\n\nmutation LogoutEverywhere {\n  logoutEverywhere\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nmutation RequestPasswordReset($email: String!) {\n  requestPasswordReset(email: $email)\n}\n\nmutation ResetPassword($token: String!, $newPassword: String!) {\n  resetPassword(token: $token, newPassword: $newPassword)\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token)\n}\n\nmutation RequestEmailVerification($email: String!) {\n  requestEmailVerification(email: $email)\n}\n\nmutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n  changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n}\n\nmutation DeleteAccount($currentPassword: String!) {\n  deleteAccount(currentPassword: $currentPassword)\n}": types.RegisterDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Register($email: String!, $password: String!) {\n  register(email: $email, password: $password) {\n    id\n    email\n    createdAt\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    id\n    email\n    createdAt\n  }\n}\n\nquery Me {\n  me {\n    id\n    email\n    createdAt\n    emailVerified\n  }\n}\n\nquery Sessions {\n  sessions {\n    id\n    createdAt\n    lastSeenAt\n    expiresAt\n    userAgent\n    current\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation RevokeSession($id: ID!) {\n  revokeSession(id: $id)\n}\n\nmutation LogoutEverywhere {\n  logoutEverywhere\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nmutation RequestPasswordReset($email: String!) {\n  requestPasswordReset(email: $email)\n}\n\nmutation ResetPassword($token: String!, $newPassword: String!) {\n  resetPassword(token: $token, newPassword: $newPassword)\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token)\n}\n\nmutation RequestEmailVerification($email: String!) {\n  requestEmailVerification(email: $email)\n}\n\nmutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n  changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n}\n\nmutation DeleteAccount($currentPassword: String!) {\n  deleteAccount(currentPassword: $currentPassword)\n}"): (typeof documents)["mutation Register($email: String!, $password: String!) {\n  register(email: $email, password: $password) {\n    id\n    email\n    createdAt\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    id\n    email\n    createdAt\n  }\n}\n\nquery Me {\n  me {\n    id\n    email\n    createdAt\n    emailVerified\n  }\n}\n\nquery Sessions {\n  sessions {\n    id\n    createdAt\n    lastSeenAt\n    expiresAt\n    userAgent\n    current\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation RevokeSession($id: ID!) {\n  revokeSession(id: $id)\n}\n\nmutation LogoutEverywhere {\n  logoutEverywhere\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nmutation RequestPasswordReset($email: String!) {\n  requestPasswordReset(email: $email)\n}\n\nmutation ResetPassword($token: String!, $newPassword: String!) {\n  resetPassword(token: $token, newPassword: $newPassword)\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token)\n}\n\nmutation RequestEmailVerification($email: String!) {\n  requestEmailVerification(email: $email)\n}\n\nmutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n  changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n}\n\nmutation DeleteAccount($currentPassword: String!) {\n  deleteAccount(currentPassword: $currentPassword)\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;