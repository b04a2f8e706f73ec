// holds.js: the 保留 (held) queue — requester, 事務, data item, received time, deadline and the four-eyes state of each pending hold.

import * as api from '../api.js';
import { h, replace, table, code, fmtTime, message } from '../dom.js';
import * as session from '../session.js';

/** The four-eyes state of a hold as a short text. */
export function reviewState(hold, fourEyes) {
  if (hold.awaitingSecondReviewer) return `1人目承認済（${hold.firstReviewer}）・2人目の承認待ち`;
  return fourEyes ? '未審査（2人の承認が必要）' : '未審査';
}

let knownFourEyes = null;

/** Whether approvals need two reviewers, as the last list said (null before the list was read). */
export function fourEyes() {
  return knownFourEyes;
}

/** True when the deadline is within the next 24 hours (or past). */
function deadlineSoon(iso) {
  const t = Date.parse(iso);
  return Number.isFinite(t) && t - Date.now() < 24 * 3600 * 1000;
}

export async function render(main, ctx) {
  replace(main, h('h1', null, '保留審査'), h('p', { class: 'loading' }, '読み込み中…'));
  const reply = await api.get('holds');
  if (!ctx.alive()) return;
  const holds = reply.holds || [];
  knownFourEyes = !!reply.fourEyes;
  const canView = session.can('hold.view');
  const reload = h('button', { type: 'button', class: 'button-quiet', id: 'holds-reload',
    onclick: () => ctx.navigate('holds') }, '最新の状態に更新');

  const intro = h('p', { class: 'muted' },
    '自動応答不可のため保留された提供です。期限の早い順に表示します。',
    reply.fourEyes ? '提供には異なる2人の審査担当者の承認が必要です（拒否は1人で確定します）。' : '',
    canView ? '' : '内容の確認と提供・拒否の判断は審査担当者が行います。');

  const body = holds.length === 0
    ? message('info', '審査待ちの保留はありません。')
    : table(['照会機関', '事務', '特定個人情報名', '受付日時', '期限', '審査状況', ''], holds, (x) => [
      [h('div', null, x.requesterName || '（名称不明）'), code(x.requesterCode)],
      [code(x.jimuCode), h('div', { class: 'sub' }, '手続 ', code(x.procedureCode))],
      code(x.itemCode),
      fmtTime(x.receivedAt),
      h('span', { class: deadlineSoon(x.deadline) ? 'deadline-soon' : null }, fmtTime(x.deadline)),
      h('span', { class: x.awaitingSecondReviewer ? 'badge badge-half' : 'badge' }, reviewState(x, reply.fourEyes)),
      canView
        ? h('a', { href: `#/hold/${encodeURIComponent(x.holdId)}`, class: 'button-link', 'data-hold-id': x.holdId }, '詳細・審査')
        : '',
    ], { id: 'holds-table', class: 'data' });

  replace(main, h('section', null,
    h('div', { class: 'title-row' }, h('h1', null, '保留審査'), h('span', { class: 'count' }, `${holds.length} 件`), reload),
    intro, body));
}
