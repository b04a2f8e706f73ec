// staff.js: 職員管理 for administrators — list accounts, add one (one-time password shown once), disable, enable, reset and change role.

import * as api from '../api.js';
import { h, replace, table, fmtTime, field, message, code } from '../dom.js';
import { ROLE, DISABLE_REASON } from '../labels.js';
import * as session from '../session.js';

function status(s) {
  const parts = [];
  parts.push(s.enabled ? '有効' : `無効（${DISABLE_REASON[s.disabledReason] || s.disabledReason || '—'}）`);
  if (s.locked) parts.push('ロック中');
  if (s.mustChangePassword) parts.push('パスワード変更待ち');
  return parts.join('・');
}

function options(map, selected) {
  return Object.entries(map).map(([k, v]) => h('option', { value: k, selected: k === selected }, v));
}

// A message to show after the list is read again (the outcome of the last action).
let flash = null;

export async function render(main, ctx) {
  replace(main, h('h1', null, '職員管理'), h('p', { class: 'loading' }, '読み込み中…'));
  const reply = await api.get('staff');
  if (!ctx.alive()) return;
  const me = session.loginId();
  const notice = h('div', { id: 'staff-notice', 'aria-live': 'polite' }, flash);
  flash = null;

  function showError(e) {
    if (e.status === 401) return;
    replace(notice, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
  }

  function oneTime(loginId, password, what) {
    return (message('ok', `${what}: ${loginId} の一時パスワード `, h('code', { class: 'otp', id: 'one-time-password' }, password),
      ' — この画面でのみ表示します。本人に安全な方法で伝えてください。初回ログイン時に変更が必要です。'));
  }

  /** Posts an action; done(reply) makes the message shown above the refreshed list. */
  async function act(path, body, done) {
    try {
      const r = await api.post(path, body);
      flash = done(r);
    } catch (e) {
      showError(e);
      return;
    }
    await render(main, ctx);
  }

  function actions(s) {
    if (s.loginId === me) return h('span', { class: 'muted' }, '（自分）');
    const id = encodeURIComponent(s.loginId);
    const reason = h('select', { 'aria-label': '無効化の理由' }, options(DISABLE_REASON, 'transfer'));
    const role = h('select', { 'aria-label': '役割' }, options(ROLE, s.role));
    return h('div', { class: 'row-actions' },
      s.enabled
        ? [reason, h('button', { type: 'button', onclick: () => act(`staff/${id}/disable`, { reason: reason.value },
          () => message('ok', `${s.loginId} を無効にしました。`)) }, '無効化')]
        : h('button', { type: 'button', onclick: () => act(`staff/${id}/enable`, undefined,
          () => message('ok', `${s.loginId} を有効にしました。`)) }, '有効化'),
      h('button', { type: 'button', onclick: () => act(`staff/${id}/reset`, undefined,
        (r) => oneTime(r.loginId, r.oneTimePassword, 'パスワードを再発行しました')) }, 'パスワード再発行'),
      role,
      h('button', { type: 'button', onclick: () => act(`staff/${id}/role`, { role: role.value },
        (r) => message('ok', `${r.loginId} の役割を${ROLE[r.role] || r.role}にしました。`)) }, '役割変更'));
  }

  const newId = h('input', { id: 'staff-new-id', maxlength: 64, size: 16, pattern: '[a-z0-9][a-z0-9._-]{0,63}',
    spellcheck: 'false', autocapitalize: 'off' });
  const newName = h('input', { id: 'staff-new-name', maxlength: 100, size: 16 });
  const newRole = h('select', { id: 'staff-new-role' }, options(ROLE, 'operator'));
  const addForm = h('form', { class: 'search-form', id: 'staff-add-form', novalidate: true },
    field('ログインID', newId, '英小文字・数字・. _ -'),
    field('氏名', newName),
    field('役割', newRole),
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit', class: 'button-primary', id: 'staff-add' }, '追加')));
  addForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const loginId = newId.value.trim();
    const name = newName.value.trim();
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(loginId) || !name) {
      replace(notice, message('error', 'ログインID（英小文字・数字で始まる）と氏名を入力してください。'));
      return;
    }
    act('staff', { loginId, name, role: newRole.value }, (r) => oneTime(r.loginId, r.oneTimePassword, '職員を追加しました'));
  });

  const list = reply.staff || [];
  replace(main, h('section', null,
    h('h1', null, '職員管理'),
    h('p', { class: 'muted' }, '職員アカウントの追加・無効化（異動・退職など）・パスワード再発行・役割の変更を行います。操作はすべて監査ログに記録されます。'),
    notice,
    h('h2', null, '職員の追加'),
    addForm,
    h('h2', null, `職員一覧（${list.length} 名）`),
    table(['ログインID', '氏名', '役割', '状態', '最終ログイン', 'パスワード期限', '操作'], list, (s) => [
      code(s.loginId), s.name, ROLE[s.role] || s.role, status(s), fmtTime(s.lastLoginAt),
      fmtTime(s.passwordExpiresAt), actions(s),
    ], { id: 'staff-table', class: 'data dense' })));
}
