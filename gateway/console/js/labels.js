// labels.js: the Japanese labels of the console — roles, menu, outcomes, states, reasons and API error codes.

export const ROLE = {
  operator: '運用担当',
  reviewer: '審査担当',
  auditor: '監査担当',
  administrator: '管理者',
};

export const OUTCOME = {
  provided: '提供',
  refused: '拒否',
  no_data: '該当なし',
  held: '保留',
  error: 'エラー',
};

/** Reason codes of the records (codecs/ReasonCodes.cpp), short; the code itself is kept as a tooltip. */
export const REASON = {
  NO_DATA: '副本なし',
  UNKNOWN_SUBJECT: '対象者の符号なし',
  REJECTED_BY_REVIEWER: '審査の結果、提供しない',
  REJECTED_OUT_OF_SCOPE: '事務の範囲外',
  REJECTED_SUBJECT_UNCONFIRMED: '対象者を確認できない',
  HOLD_DEADLINE: '審査期限切れ',
  NOT_PERMITTED_LOCAL: '照合リストで不許可（当団体）',
  UNKNOWN_REQUESTER: '照会機関の暗号化証明書なし',
  PERMIT_EXPIRED: '許可証の有効期間終了',
  PERMIT_NOT_YET_VALID: '許可証の有効期間前',
  BAD_PERMIT: '許可証が不正',
  PERMIT_MISADDRESSED: '許可証の宛先違い',
  PERMIT_REPLAYED: '許可証の再使用',
  NOT_PERMITTED: '照合リストで不許可',
  NO_FUGO: '符号未取得',
  UNKNOWN_INSTITUTION: '未登録の機関',
  INVALID_MESSAGE: '電文が不正',
};

export const KIND = {
  inquiry: '照会（当団体が照会）',
  provision: '提供（当団体が提供）',
};

export const KIND_SHORT = { inquiry: '照会', provision: '提供' };

export const HOLD_STATE = {
  pending: '審査待ち',
  approved: '承認済（提供）',
  rejected: '拒否',
  expired: '期限切れ',
};

export const JOB_STATE = {
  queued: '待機中',
  running: '実行中',
  done: '完了',
  failed: '失敗',
  aborted: '中止',
};

export const JOB_KIND = {
  'bulk-inquiry': '一括照会',
  'replica-import': '副本一括登録',
  retention: '保存期間経過分の削除',
};

export const DISABLE_REASON = {
  transfer: '異動',
  retirement: '退職',
  leave: '休職',
  other: 'その他',
};

export const AUDIT_OUTCOME = {
  ok: '成功',
  denied: '拒否',
  not_found: '該当なし',
  invalid: '不正な要求',
  conflict: '競合',
  error: 'エラー',
};

/** What each API error code means to the person at the screen (the server's message is shown beside it). */
export const ERROR = {
  INVALID_CREDENTIALS: 'ログインIDまたはパスワードが正しくありません。',
  ACCOUNT_LOCKED: 'ログインの失敗が続いたため、アカウントがロックされています。しばらく待つか、管理者に連絡してください。',
  ACCOUNT_DISABLED: 'このアカウントは無効です。管理者に連絡してください。',
  NOT_LOGGED_IN: 'ログインしてください。',
  SESSION_INVALID: 'セッションが無効になりました（ログアウト、アカウントの変更、または別の端末での利用）。もう一度ログインしてください。',
  SESSION_TIMEOUT: '一定時間操作がなかったため、ログオフしました。もう一度ログインしてください。',
  FORBIDDEN: 'この操作を行う権限がありません。',
  PASSWORD_CHANGE_REQUIRED: 'パスワードの変更が必要です。',
  CSRF_REJECTED: '要求を確認できませんでした。画面を再読み込みしてからやり直してください。',
  INVALID_ARGUMENT: '入力内容に誤りがあります。',
  PASSWORD_POLICY: '新しいパスワードが規則を満たしていません。',
  NOT_FOUND: '対象が見つかりません。',
  SAME_REVIEWER: '同じ職員が2回承認することはできません。別の審査担当者の承認が必要です。',
  CONFLICT: 'この操作はできません（処理済み、期限切れ、または自分自身への操作）。',
  ALREADY_EXISTS: 'そのログインIDはすでに使われています。',
  TERMINAL_NOT_ALLOWED: 'この端末はコンソールの利用を許可されていません。',
  NO_CLIENT_CERTIFICATE: '端末証明書がありません。',
  METHOD_NOT_ALLOWED: 'この操作はできません。',
  UNAVAILABLE: 'サーバーが一時的に利用できません。しばらくしてからやり直してください。',
  NETWORK: 'サーバーに接続できません。',
};

/** Menu entries: route, label, and the permission that shows them (the server enforces it anyway). */
export const MENU = [
  { route: 'holds', label: '保留審査', permission: 'hold.list' },
  { route: 'records', label: '提供等記録', permission: 'record.search' },
  { route: 'disclosure', label: '本人開示', permission: 'record.disclosure' },
  { route: 'audit', label: '監査ログ', permission: 'audit.read' },
  { route: 'staff', label: '職員管理', permission: 'staff.admin' },
  { route: 'system', label: 'システム管理', permission: 'system.view' },
  { route: 'password', label: 'パスワード変更', permission: 'session' },
];
