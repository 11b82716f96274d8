// The passkeys page's one script (plain browser JavaScript, served as is: the CSP allows no
// inline code). It calls the same GraphQL API as any app: @simplewebauthn/browser (served by the
// service, /pages/simplewebauthn-browser.js) turns the options into navigator.credentials calls
// and the credentials into the JSON the API takes.
'use strict';

const { startAuthentication, startRegistration, browserSupportsWebAuthn } = window.SimpleWebAuthnBrowser;

const ME = 'query Me { me { id email } }';
const LOGIN = 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { id email } }';
const LOGOUT = 'mutation Logout { logout }';
const PASSKEYS = 'query Passkeys { passkeys { id name createdAt lastUsedAt } }';
const REGISTRATION_OPTIONS = 'mutation PasskeyRegistrationOptions { passkeyRegistrationOptions }';
const REGISTER_PASSKEY =
  'mutation RegisterPasskey($response: JSON!, $name: String) { registerPasskey(response: $response, name: $name) { id name } }';
const LOGIN_OPTIONS = 'mutation PasskeyLoginOptions { passkeyLoginOptions }';
const LOGIN_WITH_PASSKEY = 'mutation LoginWithPasskey($response: JSON!) { loginWithPasskey(response: $response) { id email } }';
const REMOVE_PASSKEY = 'mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }';

const $ = (id) => document.getElementById(id);
const message = $('message');

function show(kind, text) {
  message.textContent = text;
  message.className = kind;
  message.hidden = false;
}

/** A refusal of the API, in words (API.md: error codes). */
class Refused extends Error {
  constructor(error) {
    super(describeRefusal(error));
  }
}

function describeRefusal(error) {
  const code = error?.extensions?.code;
  if (code === 'INVALID_CREDENTIALS') return 'That did not work: the passkey or the password was not accepted.';
  if (code === 'UNAUTHENTICATED') return 'Your session has ended. Log in again.';
  if (code === 'BAD_USER_INPUT') return error.message;
  if (code === 'RATE_LIMITED') return 'Too many attempts. Try again later.';
  return 'Something went wrong. Try again later.';
}

async function gql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ query, variables }),
  });
  const result = await response.json();
  if (result.errors?.length) throw new Refused(result.errors[0]);
  return result.data;
}

function when(date) {
  return date ? new Date(date).toLocaleString() : 'never';
}

function renderPasskeys(passkeys) {
  const list = $('passkey-list');
  list.replaceChildren(
    ...passkeys.map((passkey) => {
      const item = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = passkey.name ?? 'Passkey';
      const detail = document.createElement('small');
      detail.textContent = `added ${when(passkey.createdAt)}, last used ${when(passkey.lastUsedAt)}`;
      label.append(detail);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.addEventListener('click', () => run(() => removePasskey(passkey.id)));
      item.append(label, remove);
      return item;
    }),
  );
  $('no-passkeys').hidden = passkeys.length > 0;
}

/** Shows the section for who is logged in (or nobody), with their passkeys. */
async function refresh() {
  const { me } = await gql(ME);
  $('loading').hidden = true;
  $('signed-out').hidden = me !== null;
  $('signed-in').hidden = me === null;
  if (me === null) return;
  $('who').textContent = me.email;
  renderPasskeys((await gql(PASSKEYS)).passkeys);
}

async function loginWithPassword(event) {
  event.preventDefault();
  await gql(LOGIN, { email: $('email').value, password: $('password').value });
  $('password').value = '';
  await refresh();
  show('success', 'Logged in with your password.');
}

/** Registration: options from the API, the browser makes the credential, the API stores it. */
async function addPasskey(event) {
  event.preventDefault();
  const { passkeyRegistrationOptions } = await gql(REGISTRATION_OPTIONS);
  const response = await startRegistration({ optionsJSON: passkeyRegistrationOptions });
  const name = $('passkey-name').value.trim();
  await gql(REGISTER_PASSKEY, { response, name: name === '' ? null : name });
  $('passkey-name').value = '';
  await refresh();
  show('success', 'Passkey added. You can now log in with it, without a password.');
}

/** Login: options from the API (no email asked), the browser signs, the API starts a session. */
async function loginWithPasskey() {
  const { passkeyLoginOptions } = await gql(LOGIN_OPTIONS);
  const response = await startAuthentication({ optionsJSON: passkeyLoginOptions });
  await gql(LOGIN_WITH_PASSKEY, { response });
  await refresh();
  show('success', 'Logged in with your passkey.');
}

async function removePasskey(id) {
  await gql(REMOVE_PASSKEY, { id });
  await refresh();
  show('success', 'Passkey removed.');
}

async function logout() {
  await gql(LOGOUT);
  await refresh();
  show('success', 'Logged out.');
}

/** Runs one action with the page's buttons disabled; a refusal or a cancelled prompt is shown. */
async function run(action) {
  const buttons = [...document.querySelectorAll('button')];
  for (const button of buttons) button.disabled = true;
  try {
    await action();
  } catch (error) {
    // The browser's own errors (a cancelled prompt: NotAllowedError) are not the API's.
    const cancelled = error?.name === 'NotAllowedError' || error?.cause?.name === 'NotAllowedError';
    show('error', cancelled ? 'The passkey prompt was closed or timed out.' : (error?.message ?? 'Something went wrong.'));
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

if (!browserSupportsWebAuthn()) show('error', 'This browser does not support passkeys.');
$('password-form').addEventListener('submit', (event) => run(() => loginWithPassword(event)));
$('add-form').addEventListener('submit', (event) => run(() => addPasskey(event)));
$('passkey-login').addEventListener('click', () => run(loginWithPasskey));
$('logout').addEventListener('click', () => run(logout));
// run() shows every failure itself and never rejects.
void run(refresh);
