// hold.js: one hold for reviewers — what would be provided, unaltered, and the 提供 / 拒否 decision with the four-eyes state.

import * as api from '../api.js';
import { h, replace, code, fmtTime, message } from '../dom.js';
import { HOLD_STATE, REASON } from '../labels.js';
import * as session from '../session.js';
import { reviewState, fourEyes as listFourEyes } from './holds.js';

let reasonsCache = null;

async function reasons() {
  if (!reasonsCache) reasonsCache = (await api.get('holds/reasons')).reasons || [];
  return reasonsCache;
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function itemView(item) {
  return h('article', { class: 'item' },
    h('header', null,
      h('span', null, 'レコード ', code(item.recordId)),
      h('span', null, '特定個人情報名 ', code(item.itemCode)),
      h('span', null, `データセット ${item.dataSetKey || '—'}`),
      h('span', null, `版 ${item.version}`)),
    item.nilReason
      ? message('info', `値なし（理由: ${item.nilReason}）`)
      : h('pre', { class: 'payload' }, item.data));
}

export async function render(main, ctx) {
  replace(main, h('h1', null, '保留の詳細'), h('p', { class: 'loading' }, '読み込み中…'));
  const hold = await api.get(`holds/${encodeURIComponent(ctx.param)}`);
  if (!ctx.alive()) return;
  // Known from the list; a hold waiting for its second reviewer proves four-eyes too.
  const fourEyes = !!(listFourEyes() || hold.awaitingSecondReviewer);
  const me = session.loginId();
  const result = h('div', { id: 'decision-result', 'aria-live': 'polite' });
  const decision = h('section', { class: 'decision', id: 'decision' });

  const stateText = hold.state === 'pending' ? reviewState(hold, fourEyes) : (HOLD_STATE[hold.state] || hold.state);
  replace(main, h('section', null,
    h('p', null, h('a', { href: '#/holds', class: 'back' }, '← 保留一覧へ戻る')),
    h('h1', null, '保留の詳細'),
    dl([
      ['保留ID', code(hold.holdId)],
      ['照会機関', [hold.requesterName || '（名称不明）', ' ', code(hold.requesterCode)]],
      ['事務 / 手続', [code(hold.jimuCode), ' / ', code(hold.procedureCode)]],
      ['特定個人情報名', code(hold.itemCode)],
      ['宛名番号', code(hold.atenaNo)],
      ['受付日時', fmtTime(hold.receivedAt)],
      ['期限', fmtTime(hold.deadline)],
      ['保留の理由', hold.reason || '—'],
      ['状態', h('span', { id: 'hold-state', 'data-state': hold.state }, stateText)],
      hold.decidedBy ? ['判断', `${hold.decidedBy}（${fmtTime(hold.decidedAt)}）${hold.decisionReason ? ` 理由: ${REASON[hold.decisionReason] || hold.decisionReason}` : ''}`] : null,
    ].filter(Boolean)),
    h('h2', null, '提供される内容（副本・未加工）'),
    (hold.items || []).length ? hold.items.map(itemView) : message('warn', '提供できる副本がありません。'),
    result,
    decision));

  if (hold.state !== 'pending' || !session.can('hold.decide')) return;
  const reasonList = await reasons();
  if (!ctx.alive()) return;

  const sameReviewer = fourEyes && hold.awaitingSecondReviewer && hold.firstReviewer === me;
  const confirmRow = h('div', { class: 'confirm', hidden: true });
  const provide = h('button', { type: 'button', class: 'button-primary', id: 'provide', disabled: sameReviewer },
    hold.awaitingSecondReviewer ? '提供（2人目の承認）' : '提供');
  const reason = h('select', { id: 'refuse-reason', 'aria-label': '拒否の理由' },
    h('option', { value: '' }, '理由を選択…'),
    reasonList.map((r) => h('option', { value: r.code }, r.label)));
  const refuse = h('button', { type: 'button', class: 'button-danger', id: 'refuse' }, '拒否');

  async function decide(body) {
    provide.disabled = true;
    refuse.disabled = true;
    confirmRow.hidden = true;
    try {
      const r = await api.post(`holds/${encodeURIComponent(hold.holdId)}/decision`, body);
      let text;
      if (r.state === 'approved') text = '承認しました。提供が確定し、送信されます。';
      else if (r.state === 'rejected') text = '拒否しました。照会機関には提供しない旨が通知されます。';
      else if (r.awaitingSecondReviewer) text = `1人目の承認を記録しました（${r.firstReviewer}）。別の審査担当者による2人目の承認が必要です。`;
      else text = `状態: ${HOLD_STATE[r.state] || r.state}`;
      replace(result, message('ok', text));
      replace(decision);
      decision.hidden = true;
      const state = document.getElementById('hold-state');
      state.dataset.state = r.state;
      state.textContent = r.state === 'pending' ? reviewState(r, fourEyes) : (HOLD_STATE[r.state] || r.state);
    } catch (e) {
      if (e.status === 401) return;
      replace(result, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
      provide.disabled = sameReviewer;
      refuse.disabled = false;
    }
  }

  provide.addEventListener('click', () => {
    replace(result);
    replace(confirmRow,
      h('span', null, '表示された内容を照会機関に提供します。よろしいですか？'),
      h('button', { type: 'button', class: 'button-primary', id: 'provide-confirm',
        onclick: () => decide({ decision: 'provide' }) }, '提供を確定'),
      h('button', { type: 'button', class: 'button-quiet', onclick: () => { confirmRow.hidden = true; } }, 'やめる'));
    confirmRow.hidden = false;
  });
  refuse.addEventListener('click', () => {
    replace(result);
    if (!reason.value) {
      replace(result, message('error', '拒否の理由を選択してください。'));
      reason.focus();
      return;
    }
    decide({ decision: 'refuse', reasonCode: reason.value });
  });

  replace(decision,
    h('h2', null, '審査'),
    sameReviewer
      ? message('info', `あなた（${me}）は1人目として承認済みです。同じ職員は2回承認できません。別の審査担当者の承認を待っています。`)
      : null,
    h('div', { class: 'decision-row' },
      h('div', { class: 'decision-provide' }, provide),
      h('div', { class: 'decision-refuse' }, reason, refuse)),
    confirmRow);
}
