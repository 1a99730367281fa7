// The sign-in page (also shown in place of a room the visitor may not open): sign in or register,
// make the token the session, then load the same address again, now signed in.
import { forgetToken, register, signIn, startSession } from './session.js';

// The server says this visitor is not signed in: a token left in this tab, or in the link, is stale.
forgetToken();
const address = new URL(location.href);
if (address.searchParams.has('token')) {
  address.searchParams.delete('token');
  history.replaceState(history.state, '', `${address.pathname}${address.search}${address.hash}`);
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
