// The sign-in page (also shown in place of a room the visitor may not open): sign in or register,
// make the token the session, then load the same address again, now signed in.
import { forgetToken, hasSession, register, signIn, startSession } from './session.js';

// A token in the link was not accepted: drop it from the address.
const address = new URL(location.href);
if (address.searchParams.has('token')) {
  address.searchParams.delete('token');
  history.replaceState(history.state, '', `${address.pathname}${address.search}${address.hash}`);
}

// Signed out as far as the server is concerned: a token kept from before is no longer this visitor's.
const signedOut = document.body.dataset.signedIn === 'false';
if (signedOut) {
  forgetToken();
}

const forms = {
  signin: document.getElementById('signin-form'),
  register: document.getElementById('register-form'),
};
const tabs = {
  signin: document.getElementById('tab-signin'),
  register: document.getElementById('tab-register'),
};

function show(name) {
  for (const key of Object.keys(forms)) {
    if (forms[key]) {
      forms[key].hidden = key !== name;
    }
    tabs[key]?.setAttribute('aria-selected', String(key === name));
  }
  forms[name]?.querySelector('input')?.focus();
}

tabs.signin?.addEventListener('click', () => show('signin'));
tabs.register?.addEventListener('click', () => show('register'));

function showError(form, message) {
  const box = form.querySelector('.form__error');
  box.textContent = message;
  box.hidden = !message;
}

async function submit(form, work) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  showError(form, '');
  try {
    const token = await work(new FormData(form));
    await startSession(token);
    location.reload();
  } catch (error) {
    showError(form, error.message ?? 'Something went wrong. Please try again.');
    button.disabled = false;
  }
}

forms.signin?.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit(forms.signin, (data) => signIn(String(data.get('username')).trim(), String(data.get('password'))));
});

forms.register?.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit(forms.register, async (data) => {
    const username = String(data.get('username')).trim();
    const password = String(data.get('password'));
    const firstName = String(data.get('first_name') ?? '').trim();
    await register({ username, password, ...(firstName ? { first_name: firstName } : {}) });
    return signIn(username, password);
  });
});

forms.signin?.querySelector('input')?.focus();

// Arriving from a link on another site, the browser withholds the SameSite=Strict session cookie
// from that one request; this page's own requests carry it, so a visitor who is in fact signed in
// is taken on at once. Checked after the forms are wired, so that a quick submit is never the
// browser's own (which would put the password into the address).
if (signedOut && (await hasSession())) {
  location.replace(location.href);
}
