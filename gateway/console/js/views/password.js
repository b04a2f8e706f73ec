// password.js: the パスワード変更 screen — forced after expiry or a one-time password, otherwise from the menu.

import * as api from '../api.js';
import { h, replace, field, message, fmtTime } from '../dom.js';
import * as session from '../session.js';

export async function render(main, ctx) {
  const result = h('div', { 'aria-live': 'polite' });
  const current = h('input', { type: 'password', id: 'pw-current', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', id: 'pw-new', autocomplete: 'new-password', required: true });
  const again = h('input', { type: 'password', id: 'pw-again', autocomplete: 'new-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button-primary', id: 'pw-submit' }, '変更する');
  const form = h('form', { class: 'narrow-form', id: 'password-form', novalidate: true },
    field('現在のパスワード', current, ctx.forced ? '初回または再発行のパスワードの場合は、それを入力します。' : null),
    field('新しいパスワード', next,
      '12文字以上で、英大文字・英小文字・数字・記号のうち3種類以上を含め、ログインIDを含めないでください。'),
    field('新しいパスワード（確認）', again),
    result,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(result);
    if (!current.value || !next.value) {
      replace(result, message('error', 'すべての欄を入力してください。'));
      return;
    }
    if (next.value !== again.value) {
      replace(result, message('error', '新しいパスワードと確認の入力が一致しません。'));
      return;
    }
    submit.disabled = true;
    try {
      const reply = await api.post('password', { currentPassword: current.value, newPassword: next.value });
      form.reset();
      const until = reply.passwordExpiresAt ? `有効期限: ${fmtTime(reply.passwordExpiresAt)}` : '';
      if (ctx.forced) {
        ctx.onPasswordChanged();
        return;
      }
      replace(result, message('ok', 'パスワードを変更しました。', until));
    } catch (e) {
      if (e.status === 401) return;
      replace(result, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
    } finally {
      submit.disabled = false;
    }
  });

  replace(main, h('section', null,
    h('h1', null, 'パスワード変更'),
    ctx.forced
      ? message('warn', 'パスワードの有効期限が切れたか、初回（再発行）のパスワードです。続けるにはパスワードを変更してください。')
      : null,
    h('p', { class: 'muted' }, `ログインID: ${session.loginId()}`),
    form));
  current.focus();
}
