// records.js: 提供等記録 search — by 宛名番号, date range, institution, 事務, outcome and kind, paged, with CSV export.

import * as api from '../api.js';
import { h, replace, table, code, fmtTime, field, message, todayJst } from '../dom.js';
import { OUTCOME, KIND, KIND_SHORT, REASON } from '../labels.js';
import * as session from '../session.js';

const PAGE_SIZE = 50;
// The last search survives a visit to another screen.
const state = { filters: null, page: 1, searched: false };

function defaults() {
  return { atena: '', from: todayJst(-30), to: todayJst(), institution: '', jimu: '', outcome: '', kind: '' };
}

/** Checks the filters as the API would; returns a message or ''. */
export function checkFilters(f) {
  if (f.atena && !/^\d{15}$/.test(f.atena)) return '宛名番号は15桁の数字で入力してください。';
  if (f.institution && !/^[0-9A-Za-z]{16}$/.test(f.institution)) return '機関コードは16文字の英数字で入力してください。';
  if (f.jimu && !/^[0-9A-Za-z]{16}$/.test(f.jimu)) return '事務コードは16文字の英数字で入力してください。';
  if (f.from && f.to && f.from > f.to) return '期間の開始日が終了日より後になっています。';
  return '';
}

function select(id, label, options, value) {
  return field(label, h('select', { id, name: id.replace(/^rec-/, '') },
    h('option', { value: '' }, 'すべて'),
    Object.entries(options).map(([k, v]) => h('option', { value: k, selected: k === value }, v))));
}

function saveBlob({ blob, filename }) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export async function render(main, ctx) {
  if (!state.filters) state.filters = defaults();
  const f = state.filters;
  const input = (id, label, value, attrs = {}) =>
    field(label, h('input', { id, name: id.replace(/^rec-/, ''), value, ...attrs }));
  const results = h('div', { id: 'records-results', 'aria-live': 'polite' });
  const formError = h('div');
  const form = h('form', { class: 'search-form', id: 'records-form', novalidate: true },
    input('rec-atena', '宛名番号', f.atena, { inputmode: 'numeric', maxlength: 15, placeholder: '15桁', size: 17 }),
    input('rec-from', '期間（開始）', f.from, { type: 'date' }),
    input('rec-to', '期間（終了）', f.to, { type: 'date' }),
    input('rec-institution', '機関コード', f.institution, { maxlength: 16, placeholder: '照会・提供機関', size: 18 }),
    input('rec-jimu', '事務コード', f.jimu, { maxlength: 16, size: 18 }),
    select('rec-outcome', '結果', OUTCOME, f.outcome),
    select('rec-kind', '種別', KIND, f.kind),
    h('div', { class: 'form-buttons' },
      h('button', { type: 'submit', class: 'button-primary', id: 'records-search' }, '検索'),
      h('button', { type: 'button', class: 'button-quiet', id: 'records-clear', onclick: () => {
        state.filters = defaults();
        state.page = 1;
        state.searched = false;
        render(main, ctx);
      } }, '条件をクリア'),
      session.can('record.export')
        ? h('button', { type: 'button', id: 'records-csv', onclick: exportCsv }, 'CSV出力')
        : null));

  function read() {
    const v = (id) => form.querySelector(`#${id}`).value.trim();
    return { atena: v('rec-atena'), from: v('rec-from'), to: v('rec-to'), institution: v('rec-institution'),
      jimu: v('rec-jimu'), outcome: v('rec-outcome'), kind: v('rec-kind') };
  }

  function valid() {
    const next = read();
    const problem = checkFilters(next);
    replace(formError, problem ? message('error', problem) : null);
    if (problem) return false;
    state.filters = next;
    return true;
  }

  async function search(page) {
    state.page = page;
    replace(results, h('p', { class: 'loading' }, '検索中…'));
    try {
      const r = await api.get(`records${api.query({ ...state.filters, page, pageSize: PAGE_SIZE })}`);
      if (!ctx.alive()) return;
      showResults(r);
    } catch (e) {
      if (e.status === 401 || !ctx.alive()) return;
      replace(results, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
    }
  }

  async function exportCsv() {
    if (!valid()) return;
    replace(formError);
    try {
      saveBlob(await api.download(`records.csv${api.query(state.filters)}`, 'records.csv'));
      replace(formError, message('ok', 'CSVファイルを出力しました。'));
    } catch (e) {
      if (e.status === 401) return;
      replace(formError, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
    }
  }

  function showResults(r) {
    const records = r.records || [];
    const first = records.length ? (r.page - 1) * r.pageSize + 1 : 0;
    const last = (r.page - 1) * r.pageSize + records.length;
    const pages = Math.max(1, Math.ceil((r.total || 0) / r.pageSize));
    const pager = (top) => h('div', { class: 'pager' },
      h('button', { type: 'button', id: top ? 'records-prev' : null, disabled: r.page <= 1,
        onclick: () => search(r.page - 1) }, '前へ'),
      h('span', { id: top ? 'records-range' : null },
        top ? `全 ${r.total} 件中 ${first}–${last} 件（${r.page} / ${pages} ページ）` : `${r.page} / ${pages} ページ`),
      h('button', { type: 'button', id: top ? 'records-next' : null, disabled: !r.hasMore,
        onclick: () => search(r.page + 1) }, '次へ'));
    if (records.length === 0) {
      replace(results, message('info', '条件に合う記録はありません。'));
      return;
    }
    replace(results, pager(true),
      table(['番号', '種別', '照会機関', '提供機関', '事務', '特定個人情報名', '宛名番号', '照会日時', '提供日時', '結果', '不開示'],
        records, (x) => [
          String(x.seq),
          KIND_SHORT[x.kind] || x.kind,
          code(x.requesterCode),
          code(x.providerCode),
          code(x.jimuCode),
          code(x.itemCode),
          code(x.atenaNo),
          fmtTime(x.requestedAt),
          fmtTime(x.providedAt),
          h('span', { class: `outcome outcome-${x.outcome}`, title: x.reason || null },
            OUTCOME[x.outcome] || x.outcome, x.reason ? h('span', { class: 'sub' }, REASON[x.reason] || x.reason) : null),
          x.nondisclosure ? '不開示' : '',
        ], { id: 'records-table', class: 'data dense' }),
      records.length > 10 ? pager(false) : null);
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!valid()) return;
    state.searched = true;
    search(1);
  });

  replace(main, h('section', null,
    h('h1', null, '提供等記録'),
    h('p', { class: 'muted' }, '当団体が行った情報照会・情報提供の記録です（符号は表示しません）。'),
    form, formError, results));
  if (state.searched) search(state.page);
}
