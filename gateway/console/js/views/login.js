// login.js: the ログイン screen — login id and password, with the notice that brought the user here (time-out, logout).

import * as api from '../api.js';
import { h, replace, field, message } from '../dom.js';

/** opts: notice (text or null), noticeKind (info, ok, warn, error, timeout), onLoggedIn(reply). */
export function render(main, opts) {
  const error = h('div', { class: 'form-error', 'aria-live': 'assertive' });
  const loginId = h('input', { type: 'text', name: 'loginId', id: 'login-id', autocomplete: 'username',
    required: true, maxlength: 64, spellcheck: 'false', autocapitalize: 'off' });
  const password = h('input', { type: 'password', name: 'password', id: 'login-password',
    autocomplete: 'current-password', required: true, maxlength: 256 });
  const submit = h('button', { type: 'submit', class: 'button-primary', id: 'login-submit' }, 'ログイン');
  const form = h('form', { class: 'login-form', id: 'login-form', novalidate: true },
    h('h1', null, 'ログイン'),
    field('ログインID', loginId),
    field('パスワード', password),
    error,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(error);
    if (!loginId.value.trim() || !password.value) {
      replace(error, message('error', 'ログインIDとパスワードを入力してください。'));
      return;
    }
    submit.disabled = true;
    try {
      const reply = await api.post('login', { loginId: loginId.value.trim(), password: password.value });
      password.value = '';
      opts.onLoggedIn(reply);
    } catch (e) {
      password.value = '';
      replace(error, message('error', e.message));
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });

  let notice = null;
  if (opts.notice) {
    const kind = opts.noticeKind === 'timeout' ? 'warn' : opts.noticeKind;
    notice = message(kind, opts.notice);
    notice.id = opts.noticeKind === 'timeout' ? 'session-timeout' : 'login-notice';
  }
  replace(main, h('section', { class: 'login-page' }, notice,
    form,
    h('p', { class: 'login-help' },
      'この端末は登録された職員端末です。ログインID・パスワードは他人に教えないでください。',
      '操作のない状態が続くと自動的にログオフします。')));
  loginId.focus();
}
