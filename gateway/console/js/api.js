// api.js: the console's only way to the server — JSON calls to /console/api with the CSRF header on every POST, errors as ApiError.

import { ERROR } from './labels.js';

const BASE = '/console/api/';
let csrfToken = '';
const hooks = { activity: () => {}, sessionEnded: () => {}, passwordRequired: () => {} };

/** An API failure: HTTP status, the error code of the contract, and the server's message. */
export class ApiError extends Error {
  constructor(status, code, serverMessage, requestId) {
    super(ERROR[code] || `エラーが発生しました（${code}）。`);
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage || '';
    this.requestId = requestId || '';
  }
}

/** activity(): after every answered call; sessionEnded(code): on 401; passwordRequired(): on 403 PASSWORD_CHANGE_REQUIRED. */
export function setHooks(h) {
  Object.assign(hooks, h);
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

/** Encodes a query object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, String(v).trim());
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Sends one request; resolves to the fetch Response when it is 2xx, else throws ApiError. */
async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'error' };
  if (method !== 'GET') {
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, 'NETWORK', String(e && e.message ? e.message : e));
  }
  if (res.ok) {
    hooks.activity();
    return res;
  }
  let err = { error: `HTTP_${res.status}`, message: res.statusText };
  try {
    err = await res.json();
  } catch (e) {
    // not JSON (a proxy or the TLS layer): keep the status
  }
  const failure = new ApiError(res.status, err.error || `HTTP_${res.status}`, err.message, err.requestId);
  if (res.status === 401 && ['NOT_LOGGED_IN', 'SESSION_INVALID', 'SESSION_TIMEOUT'].includes(failure.code)) {
    csrfToken = '';
    hooks.sessionEnded(failure.code, failure);
  } else {
    hooks.activity();
    if (res.status === 403 && failure.code === 'PASSWORD_CHANGE_REQUIRED') hooks.passwordRequired();
  }
  throw failure;
}

export async function get(path) {
  return (await send('GET', path)).json();
}

export async function post(path, body) {
  return (await send('POST', path, body)).json();
}

/** A GET whose reply is a file: {blob, filename} (filename from Content-Disposition). */
export async function download(path, fallbackName) {
  const res = await send('GET', path);
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(disposition);
  return { blob: await res.blob(), filename: m ? m[1] : fallbackName };
}
