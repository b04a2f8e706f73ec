// system.js: システム管理 for auditors and administrators — the institution's batch jobs and 業務統計 (counts per day × 事務 × item × counterpart × outcome, held items and review times).

import * as api from '../api.js';
import { h, replace, table, code, fmtTime, field, message, todayJst } from '../dom.js';
import { OUTCOME, KIND_SHORT, HOLD_STATE, JOB_STATE, JOB_KIND } from '../labels.js';

// The last range and job filter survive a visit to another screen.
const state = { jobState: '', from: null, to: null };

function seconds(s) {
  if (s === undefined || s === null) return '—';
  if (s < 60) return `${s} 秒`;
  if (s < 3600) return `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
  return `${Math.floor(s / 3600)} 時間 ${Math.floor((s % 3600) / 60)} 分`;
}

function progress(j) {
  return `${j.done} / ${j.total}${j.failed ? `（失敗 ${j.failed}）` : ''}`;
}

export async function render(main, ctx) {
  if (!state.from) {
    state.from = todayJst(-30);
    state.to = todayJst();
  }
  const jobsOut = h('div', { id: 'jobs-results', 'aria-live': 'polite' });
  const statsOut = h('div', { id: 'stats-results', 'aria-live': 'polite' });

  const jobForm = h('form', { class: 'search-form', id: 'jobs-form', novalidate: true },
    field('状態', h('select', { id: 'jobs-state' },
      h('option', { value: '' }, 'すべて'),
      Object.entries(JOB_STATE).map(([k, v]) => h('option', { value: k, selected: k === state.jobState }, v)))),
    h('div', { class: 'form-buttons' },
      h('button', { type: 'submit', class: 'button-primary', id: 'jobs-search' }, '表示')));

  const statsForm = h('form', { class: 'search-form', id: 'stats-form', novalidate: true },
    field('期間（開始）', h('input', { id: 'stats-from', type: 'date', value: state.from })),
    field('期間（終了）', h('input', { id: 'stats-to', type: 'date', value: state.to })),
    h('div', { class: 'form-buttons' },
      h('button', { type: 'submit', class: 'button-primary', id: 'stats-search' }, '集計')));

  async function loadJobs() {
    replace(jobsOut, h('p', { class: 'loading' }, '読み込み中…'));
    try {
      const r = await api.get(`jobs${api.query({ state: state.jobState })}`);
      if (!ctx.alive()) return;
      const jobs = (r.jobs || []).slice().reverse(); // newest first
      replace(jobsOut, jobs.length === 0
        ? message('info', '該当するバッチ処理はありません。')
        : table(['種別', '状態', '件数（完了 / 全体）', '失敗理由', '開始', '終了'], jobs, (j) => [
          h('span', { title: j.job }, JOB_KIND[j.kind] || j.kind),
          h('span', { class: `job-${j.state}` }, JOB_STATE[j.state] || j.state),
          progress(j),
          j.error || '',
          fmtTime(j.createdAt),
          ['done', 'failed', 'aborted'].includes(j.state) ? fmtTime(j.updatedAt) : '—',
        ], { id: 'jobs-table', class: 'data dense' }));
    } catch (e) {
      if (e.status === 401 || !ctx.alive()) return;
      replace(jobsOut, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
    }
  }

  async function loadStats() {
    replace(statsOut, h('p', { class: 'loading' }, '集計中…'));
    try {
      const r = await api.get(`stats${api.query({ from: state.from, to: state.to })}`);
      if (!ctx.alive()) return;
      const t = r.totals || {};
      const records = r.records || [];
      const holds = r.holds || [];
      replace(statsOut,
        h('p', { id: 'stats-totals' },
          `${r.from} 〜 ${r.to}（日本時間）: 照会 ${t.inquiries || 0} 件、提供 ${t.provisions || 0} 件、保留 ${t.holds || 0} 件`),
        records.length === 0
          ? message('info', 'この期間の記録はありません。')
          : table(['日付', '種別', '事務', '特定個人情報名', '相手機関', '結果', '件数'], records, (x) => [
            x.day, KIND_SHORT[x.kind] || x.kind, code(x.jimuCode), code(x.itemCode), code(x.counterpartCode),
            OUTCOME[x.outcome] || x.outcome, String(x.count),
          ], { id: 'stats-table', class: 'data dense' }),
        holds.length === 0 ? null : [
          h('h3', null, '保留と審査時間'),
          table(['日付', '事務', '特定個人情報名', '照会機関', '状態', '件数', '審査済', '平均審査時間', '最長審査時間'], holds, (x) => [
            x.day, code(x.jimuCode), code(x.itemCode), code(x.requesterCode), HOLD_STATE[x.state] || x.state,
            String(x.count), String(x.reviewed), seconds(x.reviewAvgSeconds), seconds(x.reviewMaxSeconds),
          ], { id: 'stats-holds-table', class: 'data dense' }),
        ]);
    } catch (e) {
      if (e.status === 401 || !ctx.alive()) return;
      replace(statsOut, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
    }
  }

  jobForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.jobState = jobForm.querySelector('#jobs-state').value;
    loadJobs();
  });
  statsForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const from = statsForm.querySelector('#stats-from').value.trim();
    const to = statsForm.querySelector('#stats-to').value.trim();
    if (from && to && from > to) {
      replace(statsOut, message('error', '期間の開始日が終了日より後になっています。'));
      return;
    }
    state.from = from;
    state.to = to;
    loadStats();
  });

  replace(main, h('section', null,
    h('h1', null, 'システム管理'),
    h('p', { class: 'muted' }, 'バッチ処理の状況と業務統計（件数のみ。個人を特定する情報は含みません）です。'),
    h('h2', null, 'バッチ処理'),
    jobForm, jobsOut,
    h('h2', null, '業務統計'),
    statsForm, statsOut));
  await Promise.all([loadJobs(), loadStats()]);
}
