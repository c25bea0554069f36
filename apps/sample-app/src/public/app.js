// The account-security page. Plain script, no build step, no inline code (the CSP forbids it).
// The session lives in an HttpOnly cookie this script can never read; it only keeps the CSRF
// token, in memory, and echoes it in X-CSRF-Token on every unsafe request.
'use strict';

(function () {
  const $ = (selector) => document.querySelector(selector);

  const state = { csrfToken: null, user: null, currentSessionId: null, live: null };

  // --- HTTP -----------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message || 'Something went wrong. Please try again.');
      this.status = status;
      this.code = code;
      this.reported = false;
    }
  }

  const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (UNSAFE.has(method) && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(
        0,
        'network_error',
        'The server cannot be reached. Check your connection.',
      );
    }
    if (response.status === 204) return null;
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, data && data.error, data && data.message);
    }
    if (path === GRAPHQL) return graphqlData(data);
    return data;
  }

  // --- GraphQL (sessions and events with device names, in one request) ------------------------

  const GRAPHQL = '/graphql';
  const ACCOUNT_QUERY =
    '{ sessions { id current ip userAgent createdAt lastSeenAt device { name mobile } ' +
    'location { country city } deviceBound } ' +
    'auditEvents { type sessionId reason ip at device { name } } }';
  // A refused operation answers 200 with an error code: as the REST error it stands for, so that
  // api() signs out, reloads the CSRF token or asks for the password the same way.
  const GRAPHQL_ERRORS = {
    UNAUTHENTICATED: [401, 'unauthorized'],
    CSRF_FAILED: [403, 'csrf_failed'],
    REAUTH_REQUIRED: [403, 'reauth_required'],
    SERVICE_UNAVAILABLE: [503, 'service_unavailable'],
  };

  function graphqlData(body) {
    const error = body && body.errors && body.errors[0];
    if (!error) return body.data;
    const [status, code] = GRAPHQL_ERRORS[error.extensions && error.extensions.code] || [500, null];
    throw new ApiError(status, code, error.message);
  }

  /**
   * A call made while signed in. A 401 means the session is gone (revoked elsewhere, expired):
   * back to the sign-in form. A 403 csrf_failed (token lost, e.g. after a rotation) is retried
   * once with a fresh token; 403 reauth_required asks for the password, then retries.
   */
  async function api(method, path, body, retried) {
    try {
      return await request(method, path, body);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        signedOut('Your session has ended. Please sign in again.');
        // Reported already (the sign-in form says why): act() must not show it again.
        error.reported = true;
        throw error;
      }
      if (!retried && error.code === 'csrf_failed') {
        await loadCsrfToken();
        return api(method, path, body, true);
      }
      if (!retried && error.code === 'reauth_required') {
        showError(error.message);
        if (await reauthenticate()) {
          hideError();
          return api(method, path, body, true);
        }
      }
      throw error;
    }
  }

  async function loadCsrfToken() {
    const { csrfToken } = await request('GET', '/auth/csrf');
    state.csrfToken = csrfToken;
  }

  // --- Messages -------------------------------------------------------------------------------

  function showError(message) {
    const box = $('#error');
    box.textContent = message;
    box.hidden = false;
  }

  function hideError() {
    $('#error').hidden = true;
    $('#error').textContent = '';
  }

  function notify(message) {
    const box = $('#notice');
    box.textContent = message;
    box.hidden = !message;
  }

  /** Runs a user action: one error line on failure, buttons disabled meanwhile. */
  async function act(button, action) {
    hideError();
    notify('');
    if (button) button.disabled = true;
    try {
      await action();
    } catch (error) {
      // An ended session already took the user to the sign-in form with its own message; any
      // other failure — a wrong password (401 on sign-in), too many attempts (429, with the wait),
      // the network — is shown here.
      if (!(error instanceof ApiError && error.reported)) {
        showError(error instanceof Error ? error.message : String(error));
      }
    } finally {
      if (button) button.disabled = false;
    }
  }

  // --- Views ----------------------------------------------------------------------------------

  function signedOut(message) {
    stopLive();
    state.csrfToken = null;
    state.user = null;
    state.currentSessionId = null;
    $('#signed-in').hidden = true;
    $('#who').hidden = true;
    $('#sessions').replaceChildren();
    $('#audit').replaceChildren();
    $('#signed-out').hidden = false;
    notify(message || '');
  }

  async function signedIn() {
    const me = await api('GET', '/me');
    state.user = me.user;
    state.currentSessionId = me.session.id;
    if (!state.csrfToken) await loadCsrfToken();
    $('#who-email').textContent = me.user.email;
    $('#who').hidden = false;
    $('#signed-out').hidden = true;
    $('#signed-in').hidden = false;
    startLive();
    await refresh();
  }

  async function refresh() {
    const { sessions, auditEvents } = await api('POST', GRAPHQL, { query: ACCOUNT_QUERY });
    renderSessions(sessions);
    renderAudit(auditEvents);
  }

  // --- Live updates (socket.io namespace /account) --------------------------------------------

  // Events that change what the lists show; a renewal only moves an expiry.
  const LIVE_REFRESH_EVENTS = new Set([
    'session.created',
    'session.revoked',
    'session.expired',
    'session.rotated',
    'session.limit_reached',
    'session.replay_detected',
    'session.anomaly',
  ]);

  const ENDED_MESSAGES = {
    logout: 'You are signed out.',
    user: 'This session was signed out from another device. Please sign in again.',
    password_change: 'Your password was changed. Please sign in again.',
    idle: 'Your session expired after a period of inactivity. Please sign in again.',
    absolute: 'Your session reached its maximum lifetime. Please sign in again.',
  };
  const ENDED_DEFAULT = 'Your session has ended. Please sign in again.';

  /**
   * The server pushes the user's session events and, when this page's session ends anywhere,
   * `session.ended` before closing the socket. The handshake carries the session cookie; the
   * WebSocket transport alone, so several instances need no sticky load balancing. Without the
   * socket (an old proxy, the client script missing) the page still works through its requests.
   */
  function startLive() {
    if (state.live || typeof window.io !== 'function') return;
    const socket = window.io('/account', { transports: ['websocket'] });
    let pending = null;
    socket.on('session.event', (event) => {
      if (!LIVE_REFRESH_EVENTS.has(event.type)) return;
      // A burst of events (a revoke-all, a limit eviction) costs one refresh.
      clearTimeout(pending);
      pending = setTimeout(() => {
        if (state.live === socket) void act(null, refresh);
      }, 100);
    });
    socket.on('session.ended', (payload) => {
      clearTimeout(pending);
      signedOut(ENDED_MESSAGES[payload && payload.reason] || ENDED_DEFAULT);
    });
    state.live = socket;
  }

  function stopLive() {
    if (!state.live) return;
    state.live.close();
    state.live = null;
  }

  // --- Sessions -------------------------------------------------------------------------------

  function renderSessions(sessions) {
    const template = $('#session-template');
    // The current session first, then the most recently active.
    const ordered = [...sessions].sort(
      (a, b) =>
        Number(b.current) - Number(a.current) ||
        Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt),
    );
    const items = ordered.map((session) => {
      const item = template.content.firstElementChild.cloneNode(true);
      const kind = session.device.mobile ? 'mobile' : 'desktop';
      item.dataset.sessionId = session.id;
      item.classList.toggle('current', session.current);
      item.querySelector('.session-icon').classList.add(`icon-${kind}`);
      item.querySelector('.session-device').textContent = session.device.name;
      item.querySelector('.session-device').title = session.userAgent || '';
      item.querySelector('.badge').hidden = !session.current;
      item.querySelector('.badge-bound').hidden = !session.deviceBound;
      item.querySelector('.session-ip').textContent = session.ip || 'Unknown IP';
      const place = [session.location.city, session.location.country].filter(Boolean).join(', ');
      item.querySelector('.session-location').textContent = place || 'Unknown location';
      setTime(item.querySelector('.session-created'), session.createdAt);
      setTime(item.querySelector('.session-seen'), session.lastSeenAt);
      const revoke = item.querySelector('.revoke');
      if (session.current) revoke.remove();
      else revoke.setAttribute('aria-label', `Sign out ${session.device.name}`);
      return item;
    });
    $('#sessions').replaceChildren(...items);
    $('#revoke-others').disabled = sessions.length < 2;
  }

  // --- Audit log ------------------------------------------------------------------------------

  const EVENT_LABELS = {
    'session.created': 'Signed in',
    'session.renewed': 'Session extended',
    'session.rotated': 'Session key renewed',
    'session.revoked': 'Signed out',
    'session.expired': 'Session expired',
    'session.limit_reached': 'Too many sessions',
    'session.replay_detected': 'Reuse of an old session key detected',
    'session.anomaly': 'Unusual activity',
  };

  const REASONS = {
    logout: 'signed out',
    user: 'signed out from another device',
    admin: 'by an administrator',
    limit: 'session limit reached',
    password_change: 'password changed',
    replay: 'old key reused',
    anomaly: 'unusual activity',
    idle: 'inactive too long',
    absolute: 'maximum lifetime reached',
    reauth: 'password confirmed',
  };

  const WARNING_EVENTS = new Set([
    'session.replay_detected',
    'session.anomaly',
    'session.limit_reached',
  ]);

  function renderAudit(events) {
    const template = $('#audit-template');
    const items = events.map((event) => {
      const item = template.content.firstElementChild.cloneNode(true);
      item.dataset.eventType = event.type;
      item.classList.toggle('warning', WARNING_EVENTS.has(event.type));
      const reason = event.reason
        ? ` — ${REASONS[event.reason] || event.reason.replace(/_/g, ' ')}`
        : '';
      item.querySelector('.event-title').textContent =
        `${EVENT_LABELS[event.type] || event.type}${reason}`;
      const where = [
        event.device.name === 'Unknown device' ? '' : event.device.name,
        event.ip || '',
      ]
        .filter(Boolean)
        .join(' · ');
      item.querySelector('.event-meta').textContent = where;
      setTime(item.querySelector('.event-time'), event.at);
      return item;
    });
    if (items.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = 'No activity yet.';
      items.push(empty);
    }
    $('#audit').replaceChildren(...items);
  }

  // --- Time -----------------------------------------------------------------------------------

  const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

  function setTime(element, iso) {
    const date = new Date(iso);
    element.dateTime = date.toISOString();
    element.title = absolute.format(date);
    element.textContent = ago(date);
  }

  function ago(date) {
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    if (Math.abs(seconds) < 45) return 'just now';
    const steps = [
      ['minute', 60],
      ['hour', 3600],
      ['day', 86400],
    ];
    for (let i = steps.length - 1; i >= 0; i--) {
      const [unit, size] = steps[i];
      if (Math.abs(seconds) >= size || unit === 'minute') {
        if (unit === 'day' && Math.abs(seconds) > 7 * 86400) return absolute.format(date);
        return relative.format(Math.round(seconds / size), unit);
      }
    }
    return absolute.format(date);
  }

  // --- Re-authentication ----------------------------------------------------------------------

  /** Asks for the password in a dialog; resolves true once POST /auth/reauth accepted it. */
  function reauthenticate() {
    const dialog = $('#reauth-dialog');
    const form = $('#reauth-form');
    if (typeof dialog.showModal !== 'function') return Promise.resolve(false);
    form.reset();
    return new Promise((resolve) => {
      const finish = (ok) => {
        form.removeEventListener('submit', onSubmit);
        $('#reauth-cancel').removeEventListener('click', onCancel);
        dialog.removeEventListener('cancel', onCancel);
        if (dialog.open) dialog.close();
        resolve(ok);
      };
      const onCancel = (event) => {
        event.preventDefault();
        finish(false);
      };
      const onSubmit = async (event) => {
        event.preventDefault();
        const password = form.elements.password.value;
        try {
          const answer = await request('POST', '/auth/reauth', { password });
          if (answer && answer.csrfToken) state.csrfToken = answer.csrfToken;
          finish(true);
        } catch (error) {
          finish(false);
          showError(error instanceof Error ? error.message : String(error));
        }
      };
      form.addEventListener('submit', onSubmit);
      $('#reauth-cancel').addEventListener('click', onCancel);
      dialog.addEventListener('cancel', onCancel);
      dialog.showModal();
      form.elements.password.focus();
    });
  }

  // --- Actions --------------------------------------------------------------------------------

  function credentials(form) {
    return { email: form.elements.email.value.trim(), password: form.elements.password.value };
  }

  async function login(form) {
    // request(), not api(): a 401 here is a wrong password, not an ended session.
    const answer = await request('POST', '/auth/login', credentials(form));
    state.csrfToken = answer.csrfToken;
    form.reset();
    await signedIn();
  }

  $('#login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    void act(form.querySelector('button[type=submit]'), () => login(form));
  });

  $('#register-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    void act(form.querySelector('button[type=submit]'), async () => {
      await request('POST', '/auth/register', credentials(form));
      // A new account signs straight in with the credentials just chosen.
      await login(form);
      notify('Your account is ready.');
    });
  });

  $('#sessions').addEventListener('click', (event) => {
    const button = event.target.closest('button.revoke');
    if (!button) return;
    const item = button.closest('[data-session-id]');
    void act(button, async () => {
      await api('DELETE', `/sessions/${encodeURIComponent(item.dataset.sessionId)}`);
      notify('That session was signed out.');
      await refresh();
    });
  });

  $('#revoke-others').addEventListener('click', (event) => {
    const button = event.currentTarget;
    void act(button, async () => {
      await api('DELETE', '/sessions');
      notify('Every other session was signed out.');
      await refresh();
    });
  });

  $('#refresh').addEventListener('click', (event) => {
    void act(event.currentTarget, refresh);
  });

  $('#logout').addEventListener('click', (event) => {
    void act(event.currentTarget, async () => {
      try {
        await api('POST', '/auth/logout');
      } catch (error) {
        // Already signed out elsewhere: the goal is reached all the same.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
      signedOut('You are signed out.');
    });
  });

  // --- Start ----------------------------------------------------------------------------------

  void (async () => {
    try {
      await request('GET', '/me');
    } catch {
      signedOut();
      return;
    }
    await act(null, signedIn);
  })();
})();
