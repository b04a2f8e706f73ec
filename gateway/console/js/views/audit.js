// audit.js: 監査ログ for auditors — every login, logout, time-out and operation by staff, filtered and paged, with the hash-chain check.

import * as api from '../api.js';
import { h, replace, table, code, fmtTime, field, message, todayJst } from '../dom.js';
import { AUDIT_OUTCOME } from '../labels.js';

const PAGE_SIZE = 50;
const state = { filters: null, page: 1 };

export async function render(main, ctx) {
  if (!state.filters) state.filters = { staff: '', operation: '', from: todayJst(-7), to: todayJst() };
  const f = state.filters;
  const results = h('div', { id: 'audit-results', 'aria-live': 'polite' });
  const verifyOut = h('div', { id: 'audit-verify-out', 'aria-live': 'polite' });
  const inp = (id, label, value, attrs = {}) => field(label, h('input', { id, value, ...attrs }));
  const form = h('form', { class: 'search-form', id: 'audit-form', novalidate: true },
    inp('audit-staff', '職員（ログインID）', f.staff, { maxlength: 64, size: 16 }),
    inp('audit-operation', '操作', f.operation, { maxlength: 64, size: 16, placeholder: '例: login' }),
    inp('audit-from', '期間（開始）', f.from, { type: 'date' }),
    inp('audit-to', '期間（終了）', f.to, { type: 'date' }),
    h('div', { class: 'form-buttons' },
      h('button', { type: 'submit', class: 'button-primary', id: 'audit-search' }, '検索'),
      h('button', { type: 'button', id: 'audit-verify', onclick: verify }, '改ざん検査')));

  async function verify() {
    replace(verifyOut, h('p', { class: 'loading' }, '検査中…'));
    try {
      const r = await api.get('audit/verify');
      if (!ctx.alive()) return;
      replace(verifyOut, r.ok
        ? message('ok', `監査ログの連鎖は正常です（${r.verified} 件を検証、最新番号 ${r.headSeq}）。`)
        : message('error', `監査ログの連鎖に異常があります: ${r.error}`));
    } catch (e) {
      if (e.status !== 401) replace(verifyOut, message('error', e.message));
    }
  }

  async function search(page) {
    state.page = page;
    replace(results, h('p', { class: 'loading' }, '検索中…'));
    try {
      const r = await api.get(`audit${api.query({ ...state.filters, page, pageSize: PAGE_SIZE })}`);
      if (!ctx.alive()) return;
      const entries = r.entries || [];
      const pager = h('div', { class: 'pager' },
        h('button', { type: 'button', disabled: r.page <= 1, onclick: () => search(r.page - 1) }, '前へ'),
        h('span', null, `${r.page} ページ（${entries.length} 件）`),
        h('button', { type: 'button', disabled: !r.hasMore, onclick: () => search(r.page + 1) }, '次へ'));
      replace(results, entries.length === 0
        ? message('info', '条件に合う記録はありません。')
        : [pager, table(['番号', '日時', '職員', '操作', '対象', '結果', '詳細'], entries, (x) => [
          String(x.seq), fmtTime(x.at), x.staff, code(x.operation), x.target || '',
          h('span', { class: `audit-${x.outcome}` }, AUDIT_OUTCOME[x.outcome] || x.outcome), x.detail || '',
        ], { id: 'audit-table', class: 'data dense' })]);
    } catch (e) {
      if (e.status === 401 || !ctx.alive()) return;
      replace(results, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (id) => form.querySelector(`#${id}`).value.trim();
    state.filters = { staff: v('audit-staff'), operation: v('audit-operation'), from: v('audit-from'), to: v('audit-to') };
    if (state.filters.from && state.filters.to && state.filters.from > state.filters.to) {
      replace(results, message('error', '期間の開始日が終了日より後になっています。'));
      return;
    }
    search(1);
  });

  replace(main, h('section', null,
    h('h1', null, '監査ログ'),
    h('p', { class: 'muted' }, 'ログイン・ログアウト・自動ログオフ・操作の記録です（団体ごとにハッシュ連鎖で保護されています）。'),
    form, verifyOut, results));
  search(state.page);
}
