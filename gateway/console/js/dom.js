// dom.js: small DOM helpers — build elements from data with textContent only (never innerHTML), format times and codes.

/**
 * h('tag', {class, id, onclick, ...attrs}, ...children): a new element. Children may be strings
 * (added as text, never parsed as HTML), nodes, arrays, or null/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces every child of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** "2026-01-05T09:30:00+09:00" → "2026-01-05 09:30:00" (the API's times are already JST). */
export function fmtTime(iso) {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** Today's date in JST as YYYY-MM-DD (for default date filters). */
export function todayJst(offsetDays = 0) {
  const t = new Date(Date.now() + 9 * 3600 * 1000 + offsetDays * 86400 * 1000);
  return t.toISOString().slice(0, 10);
}

/** A code in a monospace span that wraps anywhere (16-character codes in narrow columns). */
export function code(text) {
  return h('span', { class: 'code' }, text || '—');
}

/** A table with a header row and one row per item; cells(item) returns the row's cells. */
export function table(headers, items, cells, attrs = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', attrs,
      h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, items.map((item) => h('tr', null, cells(item).map((c) => h('td', null, c)))))));
}

/** A labelled form field: label text, then the control. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control,
    hint ? h('span', { class: 'field-hint' }, hint) : null);
}

/** A message box; kind is info, ok, warn or error. */
export function message(kind, ...text) {
  return h('div', { class: `message ${kind}`, role: kind === 'error' || kind === 'warn' ? 'alert' : 'status' }, text);
}

/** Moves keyboard focus to the main area after a view change (screen readers announce it). */
export function focusMain() {
  const main = document.getElementById('main');
  if (main) main.focus({ preventScroll: true });
}
