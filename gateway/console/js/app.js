// app.js: the console's entry point — restores the session, routes #/… to a view, builds the role-filtered menu, handles log-off and time-out.

import * as api from './api.js';
import * as session from './session.js';
import { h, replace, focusMain, message } from './dom.js';
import { ERROR, MENU, ROLE } from './labels.js';
import * as loginView from './views/login.js';
import * as passwordView from './views/password.js';
import * as holdsView from './views/holds.js';
import * as holdView from './views/hold.js';
import * as recordsView from './views/records.js';
import * as disclosureView from './views/disclosure.js';
import * as auditView from './views/audit.js';
import * as staffView from './views/staff.js';
import * as systemView from './views/system.js';

const ROUTES = {
  holds: { view: holdsView, permission: 'hold.list' },
  hold: { view: holdView, permission: 'hold.view' },
  records: { view: recordsView, permission: 'record.search' },
  disclosure: { view: disclosureView, permission: 'record.disclosure' },
  audit: { view: auditView, permission: 'audit.read' },
  staff: { view: staffView, permission: 'staff.admin' },
  system: { view: systemView, permission: 'system.view' },
  password: { view: passwordView, permission: 'session' },
};

const main = () => document.getElementById('main');
let generation = 0;
let checkingIdle = false;

/** The first menu route the caller may use. */
function homeRoute() {
  const entry = MENU.find((m) => m.route !== 'password' && session.can(m.permission));
  return entry ? entry.route : 'password';
}

function parseHash() {
  const parts = (location.hash || '').replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { route: parts[0] || '', param: parts[1] || '' };
}

export function navigate(route, param) {
  const target = `#/${route}${param ? `/${encodeURIComponent(param)}` : ''}`;
  if (location.hash === target) render();
  else location.hash = target;
}

function showChrome(on) {
  const s = session.get();
  document.getElementById('who').hidden = !on;
  document.getElementById('menu').hidden = !on;
  document.body.classList.toggle('logged-in', on);
  if (!on) return;
  document.getElementById('who-tenant').textContent = `団体 ${s.tenant}`;
  document.getElementById('who-staff').textContent = `${s.staff.name}（${s.staff.loginId}）`;
  document.getElementById('who-role').textContent = ROLE[s.staff.role] || s.staff.role;
  buildMenu();
}

function buildMenu() {
  const { route } = parseHash();
  const current = route === 'hold' ? 'holds' : route;
  const locked = session.get().passwordChangeRequired;
  const entries = MENU.filter((m) => session.can(m.permission) && (!locked || m.route === 'password'));
  replace(document.getElementById('menu'), h('ul', null, entries.map((m) => h('li', null,
    h('a', { href: `#/${m.route}`, class: m.route === current ? 'active' : null,
      'aria-current': m.route === current ? 'page' : null, 'data-route': m.route }, m.label)))));
}

/** Shows the login screen, with a notice (time-out, logged out…) when given. */
function showLogin(notice, kind = 'info') {
  generation++;
  session.clear();
  showChrome(false);
  document.title = 'ログイン — 中間サーバー 職員コンソール';
  if (location.hash && location.hash !== '#/login') history.replaceState(null, '', '#/login');
  loginView.render(main(), { notice, noticeKind: kind, onLoggedIn: loggedIn });
  focusMain();
}

function loggedIn(reply) {
  session.set(reply);
  const { route } = parseHash();
  if (reply.passwordChangeRequired) navigate('password');
  else if (route && route !== 'login' && ROUTES[route] && session.can(ROUTES[route].permission)) render();
  else navigate(homeRoute());
}

async function render() {
  const gen = ++generation;
  if (!session.get()) return;
  let { route, param } = parseHash();
  const s = session.get();
  if (s.passwordChangeRequired) route = 'password';
  if (!ROUTES[route] || !session.can(ROUTES[route].permission)) {
    navigate(homeRoute());
    return;
  }
  showChrome(true);
  const entry = MENU.find((m) => m.route === (route === 'hold' ? 'holds' : route));
  document.title = `${entry ? entry.label : '保留の詳細'} — 中間サーバー 職員コンソール`;
  const ctx = {
    param,
    navigate,
    alive: () => gen === generation,
    forced: s.passwordChangeRequired,
    onPasswordChanged: () => {
      session.passwordChanged();
      navigate(homeRoute());
    },
  };
  replace(main());
  try {
    await ROUTES[route].view.render(main(), ctx);
  } catch (e) {
    if (gen !== generation || (e instanceof api.ApiError && e.status === 401)) return;
    replace(main(), message('error', e.message, e.serverMessage ? ` ${e.serverMessage}` : ''));
  }
  if (gen === generation) focusMain();
}

async function logout() {
  try {
    await api.post('logout');
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 401) return; // already ended: sessionEnded showed why
  }
  showLogin('ログアウトしました。', 'ok');
}

/** The idle clock ran out: one call tells whether the server ended the session (no polling before). */
async function idleExpired() {
  checkingIdle = true;
  try {
    await api.get('session');
  } catch (e) {
    // a 401 went through sessionEnded
  } finally {
    checkingIdle = false;
  }
}

function idleTick(left) {
  const el = document.getElementById('idle-left');
  const m = Math.floor(left / 60);
  const sec = String(left % 60).padStart(2, '0');
  el.textContent = `自動ログオフまで ${m}:${sec}`;
  el.classList.toggle('soon', left <= 60);
}

api.setHooks({
  activity: () => session.activity(),
  sessionEnded: (code) => {
    const had = !!session.get();
    if (!had && code === 'NOT_LOGGED_IN') showLogin(null);
    else if (checkingIdle) showLogin(ERROR.SESSION_TIMEOUT, 'timeout');
    else showLogin(ERROR[code] || ERROR.SESSION_INVALID, code === 'SESSION_TIMEOUT' ? 'timeout' : 'warn');
  },
  passwordRequired: () => {
    const s = session.get();
    if (s) {
      s.passwordChangeRequired = true;
      navigate('password');
    }
  },
});
session.onIdle({ tick: idleTick, expired: idleExpired });

async function start() {
  document.getElementById('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', () => {
    if (session.get()) render();
  });
  try {
    session.set(await api.get('session'));
  } catch (e) {
    if (!(e instanceof api.ApiError && e.status === 401)) {
      showLogin(e.message, 'error');
    }
    return;
  }
  render();
}

start();
