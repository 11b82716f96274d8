// The reset page's one script (plain browser JavaScript, served as is: the CSP allows no inline
// code). The token is read from the address bar and sent only when the form is submitted: opening
// the page must not use the token, since mail scanners open links too.
'use strict';

const RESET_PASSWORD =
  'mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }';

const form = document.getElementById('reset-form');
const newPassword = document.getElementById('new-password');
const confirmPassword = document.getElementById('confirm-password');
const submit = document.getElementById('submit');
const message = document.getElementById('message');
const token = new URLSearchParams(window.location.search).get('token');

function show(kind, text) {
  message.textContent = text;
  message.className = kind;
  message.hidden = false;
}

/** What a person should read for the server's answer (API.md: error codes). */
function describeRefusal(error) {
  const code = error?.extensions?.code;
  if (code === 'INVALID_TOKEN') return 'This reset link is invalid, has expired or was already used. Ask for a new one.';
  if (code === 'BAD_USER_INPUT') return error.message;
  if (code === 'RATE_LIMITED') {
    const seconds = Number(error.extensions.retryAfter);
    const wait = Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${Math.ceil(seconds / 60)} minute(s).` : ' Try again later.';
    return `Too many attempts.${wait}`;
  }
  return 'The password could not be reset. Try again later.';
}

async function sendReset(password) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ query: RESET_PASSWORD, variables: { token, newPassword: password } }),
  });
  return response.json();
}

async function onSubmit(event) {
  event.preventDefault();
  if (!token) {
    show('error', 'This reset link is incomplete: it has no token. Open the link from the mail again.');
    return;
  }
  if (newPassword.value !== confirmPassword.value) {
    show('error', 'The two passwords do not match.');
    return;
  }
  submit.disabled = true;
  try {
    const result = await sendReset(newPassword.value);
    if (result?.data?.resetPassword === true) {
      form.hidden = true;
      show('success', 'Your password has been changed. You can now log in with the new password.');
    } else {
      show('error', describeRefusal(result?.errors?.[0]));
    }
  } catch {
    show('error', 'The service could not be reached. Check your connection and try again.');
  } finally {
    submit.disabled = false;
  }
}

if (!token) show('error', 'This reset link is incomplete: it has no token. Open the link from the mail again.');
form.addEventListener('submit', (event) => {
  onSubmit(event).catch(() => show('error', 'The password could not be reset. Try again later.'));
});
