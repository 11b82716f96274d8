// The verify page's one script (plain browser JavaScript, served as is: the CSP allows no inline
// code). The button starts hidden and is shown only when the address bar holds a token; the token
// is sent only when the person presses it: opening the page must not use the token, since mail
// scanners open links too.
'use strict';

const VERIFY_EMAIL = 'mutation VerifyEmail($token: String!) { verifyEmail(token: $token) }';

const explanation = document.getElementById('explanation');
const confirmButton = document.getElementById('confirm');
const message = document.getElementById('message');
const token = new URLSearchParams(window.location.search).get('token');

function show(kind, text) {
  message.textContent = text;
  message.className = kind;
  message.hidden = false;
}

/** Only a rate limit or a failure on the way is worth pressing the button again for. */
function isFinal(code) {
  return code === 'INVALID_TOKEN' || code === 'EMAIL_TAKEN' || code === 'BAD_USER_INPUT';
}

/** What a person should read for the server's answer (API.md: error codes, "Verified email"). */
function describeRefusal(error) {
  const code = error?.extensions?.code;
  if (code === 'INVALID_TOKEN') {
    return 'This link is invalid, has expired, was already used or was replaced by a newer one. Ask for a new verification link.';
  }
  if (code === 'EMAIL_TAKEN') {
    return 'This address now belongs to another account, so your account keeps its current address. Choose another address if you still want to change it.';
  }
  // The only input is the token: empty or far too long, the link was cut or altered.
  if (code === 'BAD_USER_INPUT') return 'This link is damaged. Open it again from the mail, or ask for a new verification link.';
  if (code === 'RATE_LIMITED') {
    const seconds = Number(error.extensions.retryAfter);
    const wait = Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${Math.ceil(seconds / 60)} minute(s).` : ' Try again later.';
    return `Too many attempts.${wait}`;
  }
  return 'The address could not be confirmed. Try again later.';
}

async function sendVerification() {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ query: VERIFY_EMAIL, variables: { token } }),
  });
  return response.json();
}

async function onConfirm() {
  confirmButton.disabled = true;
  try {
    const result = await sendVerification();
    if (result?.data?.verifyEmail === true) {
      confirmButton.hidden = true;
      explanation.hidden = true;
      show('success', 'Your email address is confirmed. If it is a new address for your account, log in with it from now on.');
      return;
    }
    const refusal = result?.errors?.[0];
    if (isFinal(refusal?.extensions?.code)) {
      confirmButton.hidden = true;
      explanation.hidden = true;
    }
    show('error', describeRefusal(refusal));
  } catch {
    show('error', 'The service could not be reached. Check your connection and try again.');
  } finally {
    confirmButton.disabled = false;
  }
}

if (token) {
  confirmButton.hidden = false;
  confirmButton.addEventListener('click', () => {
    onConfirm().catch(() => show('error', 'The address could not be confirmed. Try again later.'));
  });
} else {
  explanation.hidden = true;
  show('error', 'This verification link is incomplete: it has no token. Open the link from the mail again, or ask for a new one.');
}
