// session.js: who is logged in (the login or session reply), and the client-side idle clock that shows the automatic log-off without polling.

import * as api from './api.js';

let current = null;
let idleMs = 0;
let lastActivity = 0;
let expiryTimer = null;
let tickTimer = null;
const listeners = { tick: () => {}, expired: () => {} };

/** The session object of the contract (staff, tenant, csrfToken, passwordChangeRequired, idleTimeoutSeconds, expiresAt), or null. */
export function get() {
  return current;
}

export function can(permission) {
  return !!(current && current.staff && (current.staff.permissions || []).includes(permission));
}

export function loginId() {
  return current && current.staff ? current.staff.loginId : '';
}

/** tick(secondsLeft) each second for the header; expired() when the server should have ended the session. */
export function onIdle(l) {
  Object.assign(listeners, l);
}

export function set(s) {
  current = s;
  api.setCsrfToken(s ? s.csrfToken : '');
  idleMs = s && s.idleTimeoutSeconds > 0 ? s.idleTimeoutSeconds * 1000 : 0;
  if (s) activity();
  else stopClock();
}

export function clear() {
  set(null);
}

export function passwordChanged() {
  if (current) current.passwordChangeRequired = false;
}

/**
 * Called after every answered API call (only API calls count as activity on the server). Re-arms
 * one timer for the moment the server's idle time-out has passed; nothing is sent before then.
 */
export function activity() {
  if (!current || !idleMs) return;
  lastActivity = Date.now();
  clearTimeout(expiryTimer);
  // A little after the server's limit, so the one check that follows is not itself the activity
  // that keeps the session alive.
  expiryTimer = setTimeout(() => listeners.expired(), idleMs + 1500);
  if (!tickTimer) tickTimer = setInterval(tick, 1000);
  tick();
}

function tick() {
  if (!current || !idleMs) return;
  listeners.tick(Math.max(0, Math.ceil((lastActivity + idleMs - Date.now()) / 1000)));
}

function stopClock() {
  clearTimeout(expiryTimer);
  clearInterval(tickTimer);
  expiryTimer = null;
  tickTimer = null;
}
