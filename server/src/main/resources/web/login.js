// Sign in (POST /api/v1/session) and set a password from a one-time link (POST /api/v1/session/password, the
// token in the URL's fragment so it never reaches a server log or a Referer).

import { api } from './api.js';
import { h, fill, uid } from './dom.js';

export function loginView(root, { onSignedIn, message }) {
  const emailId = uid('email');
  const passwordId = uid('password');
  const email = h('input', { id: emailId, type: 'email', name: 'email', autocomplete: 'username', required: true,
    autofocus: true, maxlength: 254 });
  const password = h('input', { id: passwordId, type: 'password', name: 'password', autocomplete: 'current-password',
    required: true, maxlength: 200 });
  const problem = h('div', { class: 'form-problem', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
  const form = h('form', { class: 'auth-form', 'aria-labelledby': 'auth-title' },
    h('div', { class: 'form-row' }, h('label', { for: emailId }, 'Email'), email),
    h('div', { class: 'form-row' }, h('label', { for: passwordId }, 'Password'), password),
    problem, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fill(problem);
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const answer = await api('POST', '/api/v1/session', { email: email.value, password: password.value });
      onSignedIn(answer);
    } catch (err) {
      const text = err.code === 'invalid_credentials' ? 'Wrong email or password.'
        : err.code === 'too_many_attempts'
          ? `Too many failed attempts. Try again in ${minutes(err.retryAfter)}.`
          : err.message;
      fill(problem, h('p', { class: 'notice notice-error', role: 'alert', dataset: { code: err.code } }, text));
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  fill(root, authCard('Sign in to Sightline', message && h('p', { class: 'notice' }, message), form,
    h('p', { class: 'muted small' }, 'Forgot your password? An admin can send you a new link.')));
}

export function setupView(root, { token, onSignedIn }) {
  if (!token) {
    fill(root, authCard('Set your password', h('div', { class: 'notice notice-error', role: 'alert' },
      h('p', null, 'This link is incomplete: it should end with #<token>. Open the link exactly as you received it.')),
    h('p', null, h('a', { href: '/login' }, 'Go to sign in'))));
    return;
  }
  const passwordId = uid('password');
  const confirmId = uid('confirm');
  const hintId = uid('hint');
  const password = h('input', { id: passwordId, type: 'password', name: 'password', autocomplete: 'new-password',
    required: true, minlength: 10, maxlength: 200, 'aria-describedby': hintId, autofocus: true });
  const confirm = h('input', { id: confirmId, type: 'password', name: 'confirm', autocomplete: 'new-password',
    required: true, minlength: 10, maxlength: 200 });
  const problem = h('div', { class: 'form-problem', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Set password and sign in');
  const form = h('form', { class: 'auth-form', 'aria-labelledby': 'auth-title' },
    h('div', { class: 'form-row' }, h('label', { for: passwordId }, 'New password'), password,
      h('p', { id: hintId, class: 'muted small' }, '10 to 200 characters. A few unrelated words make a good one.')),
    h('div', { class: 'form-row' }, h('label', { for: confirmId }, 'Repeat it'), confirm),
    problem, submit);
  const say = (text, code) => fill(problem, h('p', { class: 'notice notice-error', role: 'alert', dataset: { code } }, text));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fill(problem);
    if (password.value !== confirm.value) {
      say('The two passwords differ.', 'mismatch');
      confirm.focus();
      return;
    }
    submit.disabled = true;
    try {
      onSignedIn(await api('POST', '/api/v1/session/password', { token, password: password.value }));
    } catch (err) {
      say(err.code === 'invalid_link' ? 'This link has been used or has expired. Ask an admin for a new one.' : err.message,
        err.code);
      submit.disabled = false;
    }
  });
  fill(root, authCard('Set your password', form));
}

function authCard(title, ...content) {
  return h('main', { class: 'auth', id: 'main' },
    h('div', { class: 'auth-card panel' },
      h('div', { class: 'brand brand-large' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Sightline'),
      h('h1', { id: 'auth-title' }, title),
      content));
}

function minutes(seconds) {
  if (!seconds) return 'a few minutes';
  const m = Math.ceil(seconds / 60);
  return m <= 1 ? 'a minute' : `${m} minutes`;
}
