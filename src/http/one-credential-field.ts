// One credential operation per document. Aliases and fragments let one HTTP request carry
// fifty `login`s, which would turn every per-request limit into a per-fifty-guesses limit;
// such a document is refused at validation, before any of it runs.
import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const CREDENTIAL_FIELDS = new Set([
  'login',
  'register',
  'requestPasswordReset',
  'resetPassword',
  'changePassword',
  'verifyEmail',
  'requestEmailVerification',
  'changeEmail',
  'deleteAccount',
  'registerPasskey',
  'loginWithPasskey',
  // Second factor: a code is a credential too (API.md), and so is the password of an enrolment.
  'startTotpEnrollment',
  'confirmTotpEnrollment',
  'verifyMfa',
  'disableTotp',
  'regenerateRecoveryCodes',
]);

/** Root fields in the credential set, each spread of a fragment counted (fragment cycles cut). */
function countCredentialFields(context: ValidationContext, selectionSet: SelectionSetNode, visiting: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (CREDENTIAL_FIELDS.has(selection.name.value)) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countCredentialFields(context, selection.selectionSet, visiting);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (fragment && !visiting.has(name)) {
        visiting.add(name);
        count += countCredentialFields(context, fragment.selectionSet, visiting);
        visiting.delete(name);
      }
    }
  }
  return count;
}

export function oneCredentialFieldRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(operation) {
      if (operation.operation !== 'mutation') return;
      if (countCredentialFields(context, operation.selectionSet, new Set()) > 1) {
        context.reportError(
          new GraphQLError(`A request may carry only one of ${[...CREDENTIAL_FIELDS].join(', ')}.`, { nodes: [operation] }),
        );
      }
    },
  };
}

export function useOneCredentialField(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(oneCredentialFieldRule);
    },
  };
}
