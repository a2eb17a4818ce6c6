// The Resonance chat page. One WebSocket (subprotocol resonance.v1.json) carries live pushes
// and sends; REST carries sessions and history. After every (re)connection each known session
// is synced from the last seq held, so nothing sent while offline is missed. Messages are kept
// per session sorted by seq and deduplicated by seq (the latest MAX_MESSAGES_KEPT of them, or
// more once older history has been loaded on request: see loadOlder).
// Reconnects back off until a connection has stayed up for a while; a handshake without a
// welcome is given up after a timeout; a socket refused before its welcome makes the page check
// its token over REST and sign out on 401; a socket closed because its token expired (4102)
// signs in again as the same user and reconnects. Sends larger than the welcome's maxFrameBytes
// fail at once instead of closing the socket.

const SUBPROTOCOL = 'resonance.v1.json';
const PAGE_SIZE = 100; // messages per history request
const HISTORY = 100; // messages loaded when a session is first seen
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15_000;
const STABLE_AFTER_MS = 10_000; // a connection up this long resets the backoff
const CONNECT_TIMEOUT_MS = 10_000; // from opening the socket to its welcome
const MAX_MESSAGES_KEPT = 500; // per session; older ones are dropped from memory
const MAX_BROADCASTS_SHOWN = 3;
const MAX_ERRORS_SHOWN = 5;
const CLOSE_MESSAGE_TOO_BIG = 1009;
const CLOSE_TOKEN_EXPIRED = 4102;

const $ = (id) => document.getElementById(id);

const state = {
  token: null,
  username: null,
  socket: null,
  connected: false,
  welcomed: false, // the current socket has had its welcome
  maxFrameBytes: 0, // from the last welcome; 0 while unknown
  retries: 0, // connection attempts since the last connection that stayed up
  reconnectTimer: 0,
  connectTimer: 0, // gives up on a socket that has no welcome in time
  stableTimer: 0, // resets retries once a connection has stayed up
  heartbeatTimer: 0,
  lastFrameAt: 0,
  listed: false, // the session list has been read once since sign-in
  sessions: new Map(), // sessionId -> session (see addSession)
  selected: null, // sessionId
  pending: new Map(), // clientMsgId -> { clientMsgId, sessionId, content, error } in send order
};

// ---- REST -------------------------------------------------------------------------------

// Throws an Error with the response's status; a 401 for the token in use signs out (the error
// then has signedOut set, and callers need not report it). An anonymous call sends no token.
async function api(method, path, body, { timeoutMs, anonymous } = {}) {
  const token = anonymous ? null : state.token;
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
  });
  const text = await response.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    // Not JSON (a proxy's error page): report the status below.
  }
  if (!response.ok) {
    // Problem details: detail says what was wrong, title is the error code.
    const error = new Error(data.detail || data.title || `${response.status} ${response.statusText}`);
    error.status = response.status;
    if (response.status === 401 && token && token === state.token) {
      signOut('The server no longer accepts your sign-in (expired or invalid token); sign in again.');
      error.signedOut = true;
    }
    throw error;
  }
  return data;
}

const sessionPath = (id) => `/api/v1/sessions/${encodeURIComponent(id)}`;

// ---- sessions and messages ----------------------------------------------------------------

function addSession(summary, { unreadFrom }) {
  const lastSeq = Number(summary.lastSeq ?? 0);
  const start = Math.max(0, lastSeq - HISTORY);
  const session = {
    id: summary.sessionId,
    kind: summary.kind ?? '',
    name: summary.name ?? '',
    members: summary.members ?? [],
    lastSeq,
    messages: [], // sorted by seq, one per seq
    have: start, // every seq up to this one is held (or was older than the loaded history)
    read: unreadFrom === 'now' ? lastSeq : start, // messages after this seq count as unread
    syncing: null,
    syncAgain: false,
    keep: MAX_MESSAGES_KEPT, // at most this many messages are held; loading older ones raises it
    loadingOlder: false, // a request for older messages is under way
  };
  state.sessions.set(session.id, session);
  return session;
}

// Index of the first message whose seq is not below seq.
function indexOfSeq(session, seq) {
  let low = 0;
  let high = session.messages.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (session.messages[middle].seq < seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

// Inserts a pushed, synced or acked message in seq order unless that seq is already held.
function addMessage(session, message) {
  const seq = Number(message.seq);
  let index = indexOfSeq(session, seq);
  if (session.messages[index]?.seq === seq) return;
  session.messages.splice(index, 0, {
    seq,
    msgId: message.msgId,
    from: message.from,
    content: message.content,
    sentAt: message.sentAt,
  });
  session.lastSeq = Math.max(session.lastSeq, seq);
  if (session.messages.length > session.keep) {
    // Memory stays bounded: the oldest go, and count as held so that they are not synced again.
    const dropped = session.messages.splice(0, session.messages.length - session.keep);
    session.have = Math.max(session.have, dropped.at(-1).seq);
  }
  index = indexOfSeq(session, session.have + 1);
  while (session.messages[index]?.seq === session.have + 1) {
    session.have += 1;
    index += 1;
  }
}

// Seq of the oldest message held; 0 if none.
const oldestSeq = (session) => session.messages[0]?.seq ?? 0;

// Loads up to PAGE_SIZE messages just before the oldest one held, on the user's request. They
// are older than anything synced, so they leave `have` (the catch-up marker) alone and are never
// unread. The cap rule: the cap is raised to what is held after the load, so these messages are
// not dropped at once; later arrivals still bound memory by dropping the oldest, one for one.
async function loadOlder(session) {
  const oldest = oldestSeq(session);
  if (session.loadingOlder || oldest <= 1) return;
  const token = state.token;
  const afterSeq = Math.max(0, oldest - 1 - PAGE_SIZE);
  const limit = oldest - 1 - afterSeq;
  session.loadingOlder = true;
  render();
  try {
    const page = await api('GET', `${sessionPath(session.id)}/messages?afterSeq=${afterSeq}&limit=${limit}`);
    // Signed out or in as someone else, or another session opened meanwhile: not wanted now.
    if (state.token !== token || state.sessions.get(session.id) !== session || state.selected !== session.id) return;
    let highest = 0;
    for (const message of page.messages ?? []) {
      const seq = Number(message.seq);
      const index = indexOfSeq(session, seq);
      if (session.messages[index]?.seq === seq) continue;
      session.messages.splice(index, 0, { seq, msgId: message.msgId, from: message.from, content: message.content, sentAt: message.sentAt });
      highest = Math.max(highest, seq);
    }
    session.keep = Math.max(session.keep, session.messages.length);
    session.read = Math.max(session.read, highest); // shown as history, never unread
    // The messages go in above what is on screen: keep that where it is.
    const list = $('messages');
    const fromBottom = list.scrollHeight - list.scrollTop;
    session.loadingOlder = false;
    render();
    list.scrollTop = list.scrollHeight - fromBottom;
  } catch (error) {
    if (state.token === token && !error.signedOut) showError(`Could not load older messages of ${title(session)}: ${error.message}`);
  } finally {
    if (session.loadingOlder) {
      session.loadingOlder = false;
      if (state.token === token) render();
    }
  }
}

// Reads every message after the last one held, page by page. One sync per session at a time;
// a request while one runs makes it go round once more.
function syncSession(session) {
  if (session.syncing) {
    session.syncAgain = true;
    return session.syncing;
  }
  const token = state.token;
  session.syncing = (async () => {
    try {
      do {
        session.syncAgain = false;
        let after = session.have;
        let more = true;
        while (more) {
          const page = await api('GET', `${sessionPath(session.id)}/messages?afterSeq=${after}&limit=${PAGE_SIZE}`);
          if (state.sessions.get(session.id) !== session) return; // signed out meanwhile
          for (const message of page.messages) addMessage(session, message);
          session.lastSeq = Math.max(session.lastSeq, Number(page.lastSeq));
          more = page.hasMore && page.messages.length > 0;
          if (page.messages.length > 0) after = Number(page.messages.at(-1).seq);
          render();
        }
      } while (session.syncAgain);
    } catch (error) {
      if (state.token === token && !error.signedOut) showError(`Could not load messages of ${title(session)}: ${error.message}`);
    } finally {
      session.syncing = null;
    }
  })();
  return session.syncing;
}

// Reads the session list, adds sessions not seen before, and syncs any session behind.
async function refreshSessions() {
  const token = state.token;
  if (!token) return;
  const sessions = [];
  for (let after = ''; ;) {
    const page = await api('GET', `/api/v1/sessions?limit=500&afterSessionId=${encodeURIComponent(after)}`);
    if (state.token !== token) return; // signed out (and maybe in as someone else) meanwhile
    sessions.push(...page.sessions);
    if (!page.hasMore || page.sessions.length === 0) break;
    after = page.sessions[page.sessions.length - 1].sessionId;
  }
  const unreadFrom = state.listed ? 'start' : 'now';
  state.listed = true;
  for (const summary of sessions) {
    const known = state.sessions.get(summary.sessionId);
    if (known) {
      Object.assign(known, { kind: summary.kind, name: summary.name, members: summary.members });
      known.lastSeq = Math.max(known.lastSeq, Number(summary.lastSeq));
    } else {
      addSession(summary, { unreadFrom });
    }
  }
  render();
  await Promise.all([...state.sessions.values()].filter((s) => s.lastSeq > s.have).map(syncSession));
}

function refreshSessionsVisibly() {
  const token = state.token;
  refreshSessions().catch((error) => {
    if (state.token === token && !error.signedOut) showError(`Could not list sessions: ${error.message}`);
  });
}

// ---- the socket --------------------------------------------------------------------------

function connect() {
  clearTimeout(state.reconnectTimer);
  if (tokenExpired(state.token)) {
    signOut('Your token expired; sign in again.');
    return;
  }
  setConnectionState(state.retries === 0 ? 'connecting' : 'reconnecting', state.retries === 0 ? 'connecting…' : 'reconnecting…');
  const url = new URL('/ws', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('access_token', state.token);
  const socket = new WebSocket(url, SUBPROTOCOL);
  state.socket = socket;
  state.welcomed = false;
  // A handshake that hangs, or a socket that never says welcome, is given up on.
  clearTimeout(state.connectTimer);
  state.connectTimer = setTimeout(() => {
    if (state.socket !== socket || state.welcomed) return;
    abandon(socket, 0, `no welcome within ${CONNECT_TIMEOUT_MS / 1000} s`);
  }, CONNECT_TIMEOUT_MS);
  // Events of a socket given up on are ignored.
  socket.onmessage = (event) => {
    if (state.socket !== socket) return;
    state.lastFrameAt = Date.now();
    let packet;
    try {
      packet = JSON.parse(event.data);
    } catch {
      return; // not a frame of this protocol
    }
    onPacket(packet);
  };
  socket.onclose = (event) => {
    if (state.socket === socket) onClosed(event.code, event.reason);
  };
}

// Stops listening to a socket that is still open and treats it as closed.
function abandon(socket, code, reason) {
  state.socket = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.close();
  onClosed(code, reason);
}

function onClosed(code, reason) {
  const welcomed = state.welcomed;
  state.socket = null;
  state.connected = false;
  state.welcomed = false;
  clearInterval(state.heartbeatTimer);
  clearTimeout(state.connectTimer);
  clearTimeout(state.stableTimer);
  if (!state.token) return; // signed out
  if (code === CLOSE_MESSAGE_TOO_BIG) failOldestPending(`too large for the server (${reason || 'closed 1009'})`);
  const delay = Math.round(Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** state.retries) * (0.5 + Math.random() / 2));
  state.retries += 1;
  const why = `${code}${reason ? ` ${reason}` : ''}`;
  setConnectionState('reconnecting', `reconnecting in ${(delay / 1000).toFixed(1)} s (closed: ${why})`, delay);
  // An expired token is not worth another try: the reconnect first gets a fresh one.
  state.reconnectTimer = setTimeout(code === CLOSE_TOKEN_EXPIRED ? renewTokenAndConnect : connect, delay);
  // Refused before the welcome: perhaps the token is no longer valid (expired, or the server's
  // key changed). The browser does not tell why an upgrade failed, so ask REST: a 401 signs out.
  if (!welcomed) checkToken();
  render();
}

// The page's tokens come from signing in: it signs in again as the same user and keeps its
// sessions and pending sends; if that fails, the user has to.
async function renewTokenAndConnect() {
  const { token: expired, username } = state;
  let renewed;
  try {
    ({ token: renewed } = await api('POST', '/api/v1/dev/token', { username }, { timeoutMs: CONNECT_TIMEOUT_MS, anonymous: true }));
  } catch (error) {
    if (state.token === expired) signOut(`Your sign-in expired and could not be renewed (${error.message}); sign in again.`);
    return;
  }
  if (state.token !== expired) return; // signed out (and maybe in as someone else) meanwhile
  state.token = renewed;
  sessionStorage.setItem('resonance.token', renewed);
  connect();
}

function checkToken() {
  api('GET', '/api/v1/sessions?limit=1', undefined, { timeoutMs: CONNECT_TIMEOUT_MS }).catch(() => {
    // A 401 has signed out; anything else (server down) is for the reconnect loop to ride out.
  });
}

// The server closed the socket for a frame too large: the oldest unacked send is that frame
// (or is stuck behind it), so it is not sent again.
function failOldestPending(why) {
  for (const pending of state.pending.values()) {
    if (pending.error) continue;
    pending.error = why;
    showError(`Message not sent: ${why}`);
    return;
  }
}

function transmit(packet) {
  if (!state.connected) return false;
  state.socket.send(JSON.stringify(packet));
  return true;
}

const utf8 = new TextEncoder();

// Why the send frame of this pending message is larger than the server takes; null if it fits
// (or while the limit is unknown).
function tooLarge(pending) {
  if (!state.maxFrameBytes) return null;
  const bytes = utf8.encode(JSON.stringify({ send: sendBody(pending) })).length;
  if (bytes <= state.maxFrameBytes) return null;
  return `message too large (${bytes} bytes as a frame; the server takes at most ${state.maxFrameBytes})`;
}

// Sends a pending message now if connected, unless it is too large: that one fails instead.
function transmitPending(pending) {
  const why = tooLarge(pending);
  if (why) {
    pending.error = why;
    showError(`Message not sent: ${why}`);
    return;
  }
  transmit({ send: sendBody(pending) }); // else it goes on the next welcome
}

function onPacket(packet) {
  if (packet.welcome) onWelcome(packet.welcome);
  else if (packet.push) onPush(packet.push);
  else if (packet.ack) onAck(packet.ack);
  else if (packet.error) onError(packet.error);
  else if (packet.broadcast) onBroadcast(packet.broadcast);
  // pong needs nothing: any frame counts as a sign of life.
}

function onWelcome(welcome) {
  state.connected = true;
  state.welcomed = true;
  clearTimeout(state.connectTimer);
  state.maxFrameBytes = Number(welcome.maxFrameBytes) || 0;
  if (welcome.username && welcome.username !== state.username) {
    // The name the server knows us by is the one that marks our own messages.
    state.username = welcome.username;
    sessionStorage.setItem('resonance.username', welcome.username);
  }
  $('me').textContent = state.username;
  // Only a connection that stays up resets the backoff: a server that accepts and drops at once
  // is not hammered.
  clearTimeout(state.stableTimer);
  state.stableTimer = setTimeout(() => {
    state.retries = 0;
    setRetryInfo();
  }, STABLE_AFTER_MS);
  setConnectionState('connected', 'connected');
  startHeartbeat(welcome.heartbeatIntervalSeconds);
  // Sends that were never acked go again: the same clientMsgId stores them at most once.
  for (const pending of state.pending.values()) {
    if (!pending.error) transmitPending(pending);
  }
  refreshSessionsVisibly();
  render();
}

function startHeartbeat(seconds) {
  const interval = Math.max(1, seconds) * 1000;
  clearInterval(state.heartbeatTimer);
  state.heartbeatTimer = setInterval(() => {
    const socket = state.socket;
    if (!socket) return;
    if (Date.now() - state.lastFrameAt > 3 * interval) {
      // No pong for several intervals: the connection is dead even if the socket has not noticed.
      abandon(socket, 0, 'no answer to pings');
      return;
    }
    transmit({ ping: {} });
  }, interval);
}

function onPush(push) {
  let session = state.sessions.get(push.sessionId);
  if (!session) {
    // A session someone else created with me: show it now, fetch its name and members.
    session = addSession({ sessionId: push.sessionId, lastSeq: Number(push.seq) - 1 }, { unreadFrom: 'start' });
    refreshSessionsVisibly();
  }
  addMessage(session, push);
  if (session.have < Number(push.seq)) syncSession(session); // a gap before this message
  render();
}

function onAck(ack) {
  const pending = state.pending.get(ack.clientMsgId);
  state.pending.delete(ack.clientMsgId);
  const session = state.sessions.get(ack.sessionId);
  if (pending && session) {
    addMessage(session, { ...ack, from: state.username, content: pending.content });
    if (session.have < Number(ack.seq)) syncSession(session);
  }
  render();
}

function onError(error) {
  const pending = state.pending.get(error.clientMsgId);
  if (pending) pending.error = error.message || error.code;
  showError(`${error.code}: ${error.message}`);
  render();
}

function onBroadcast(broadcast) {
  const item = document.createElement('li');
  item.dataset.testid = 'broadcast';
  const dismiss = element('button', 'dismiss', '×');
  dismiss.type = 'button';
  dismiss.title = 'Dismiss';
  dismiss.onclick = () => item.remove();
  item.append(
    element('span', 'broadcast-from', broadcast.from || 'announcement'),
    element('span', 'broadcast-content', broadcast.content ?? ''),
    element('time', 'time', formatTime(broadcast.sentAt)),
    dismiss,
  );
  const list = $('broadcasts');
  list.append(item);
  while (list.children.length > MAX_BROADCASTS_SHOWN) list.firstElementChild.remove();
}

// ---- actions -----------------------------------------------------------------------------

function sendBody({ clientMsgId, sessionId, content }) {
  return { clientMsgId, sessionId, content };
}

function sendMessage(content) {
  const pending = { clientMsgId: newId(), sessionId: state.selected, content, error: null };
  state.pending.set(pending.clientMsgId, pending);
  transmitPending(pending);
  render();
}

async function signIn(username) {
  const { token } = await api('POST', '/api/v1/dev/token', { username });
  sessionStorage.setItem('resonance.token', token);
  sessionStorage.setItem('resonance.username', username);
  start(token, username);
}

function start(token, username) {
  Object.assign(state, { token, username, retries: 0, listed: false, selected: null });
  $('me').textContent = username;
  $('sign-in').hidden = true;
  $('chat').hidden = false;
  $('sign-out').hidden = false;
  render();
  connect();
}

function signOut(reason) {
  sessionStorage.removeItem('resonance.token');
  const socket = state.socket;
  Object.assign(state, { token: null, username: null, socket: null, connected: false, welcomed: false, maxFrameBytes: 0, selected: null });
  clearTimeout(state.reconnectTimer);
  clearTimeout(state.connectTimer);
  clearTimeout(state.stableTimer);
  clearInterval(state.heartbeatTimer);
  socket?.close(1000, 'signed out');
  state.sessions.clear();
  state.pending.clear();
  $('me').textContent = '';
  $('sign-in').hidden = false;
  $('chat').hidden = true;
  $('sign-out').hidden = true;
  $('broadcasts').replaceChildren();
  setConnectionState('signed-out', 'signed out');
  if (reason) showError(reason);
}

function select(sessionId) {
  state.selected = sessionId;
  render();
  $('message-input').focus();
}

// ---- rendering ---------------------------------------------------------------------------

function render() {
  const open = state.sessions.get(state.selected);
  if (open) open.read = Math.max(open.read, open.lastSeq); // what is on screen has been read
  renderSessionList();
  renderConversation();
}

function title(session) {
  if (session.name) return session.name;
  const others = session.members.filter((member) => member !== state.username);
  return others.length > 0 ? others.join(', ') : session.id;
}

function unreadCount(session) {
  return session.messages.filter((m) => m.seq > session.read && m.from !== state.username).length;
}

function renderSessionList() {
  const items = [...state.sessions.values()].map((session) => {
    const item = document.createElement('li');
    item.dataset.testid = 'session';
    item.dataset.sessionId = session.id;
    item.tabIndex = 0;
    if (session.id === state.selected) item.setAttribute('aria-current', 'true');
    const unread = element('span', 'unread', String(unreadCount(session)));
    unread.dataset.testid = 'unread-count';
    unread.hidden = unread.textContent === '0';
    const name = element('span', 'session-name', title(session));
    name.dataset.testid = 'session-name';
    item.append(name, element('span', 'session-kind', session.kind), unread);
    return item;
  });
  $('session-list').replaceChildren(...items);
}

function renderConversation() {
  const session = state.sessions.get(state.selected);
  $('no-session').hidden = Boolean(session);
  $('session-view').hidden = !session;
  if (!session) return;

  $('session-title').textContent = title(session);
  $('session-members').textContent = `${session.kind} · ${session.members.join(', ')}`;
  $('add-members').hidden = session.kind === 'direct';

  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const items = [];
  if (oldestSeq(session) > 1) {
    const button = element('button', 'load-older', session.loadingOlder ? 'Loading older messages…' : 'Load older messages');
    button.type = 'button';
    button.dataset.testid = 'load-older';
    button.disabled = session.loadingOlder;
    button.onclick = () => loadOlder(session);
    const item = document.createElement('li');
    item.className = 'load-older-item';
    item.append(button);
    items.push(item);
  }
  for (const message of session.messages) {
    const item = messageItem(message.from, message.content, formatTime(message.sentAt));
    item.dataset.testid = 'message';
    item.dataset.seq = String(message.seq);
    items.push(item);
  }
  for (const pending of state.pending.values()) {
    if (pending.sessionId !== session.id) continue;
    const item = messageItem(state.username, pending.content, pending.error ? `not sent: ${pending.error}` : 'sending…');
    item.dataset.testid = 'pending-message';
    item.dataset.state = pending.error ? 'failed' : 'pending';
    if (pending.error) {
      const discard = element('button', 'discard', '×');
      discard.type = 'button';
      discard.title = 'Discard';
      discard.onclick = () => {
        state.pending.delete(pending.clientMsgId);
        render();
      };
      item.append(discard);
    }
    items.push(item);
  }
  list.replaceChildren(...items);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function messageItem(from, content, status) {
  const item = document.createElement('li');
  item.dataset.from = from;
  if (from === state.username) item.classList.add('mine');
  const body = element('span', 'content', content);
  body.dataset.testid = 'message-content';
  item.append(element('span', 'from', from), body, element('span', 'status', status));
  return item;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

// delay: the wait before the next attempt, when one has just been scheduled.
function setConnectionState(name, text, delay) {
  const badge = $('connection-state');
  badge.dataset.state = name;
  badge.textContent = text;
  setRetryInfo(delay);
}

// The backoff, readable (and testable) on the badge: attempts since the last stable connection
// and the wait chosen before the latest attempt.
function setRetryInfo(delay) {
  const badge = $('connection-state');
  badge.dataset.retries = String(state.retries);
  if (delay !== undefined) badge.dataset.retryDelayMs = String(delay);
}

function showError(message) {
  const box = $('errors');
  const item = document.createElement('div');
  item.className = 'error';
  item.dataset.testid = 'error';
  item.setAttribute('role', 'alert');
  const close = element('button', 'dismiss', '×');
  close.type = 'button';
  close.title = 'Dismiss';
  close.onclick = () => item.remove();
  item.append(element('span', 'error-message', message), close);
  box.append(item);
  while (box.children.length > MAX_ERRORS_SHOWN) box.firstElementChild.remove();
}

// ---- small helpers -----------------------------------------------------------------------

const formatTime = (timestamp) => (timestamp ? new Date(timestamp).toLocaleTimeString() : '');

const parseList = (text) => text.split(/[\s,]+/).filter(Boolean);

// crypto.randomUUID exists only on secure origins; this works on plain http too.
function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function tokenExpired(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' && payload.exp * 1000 <= Date.now();
  } catch {
    return false; // not a JWT we can read: let the server decide
  }
}

// Runs an async form handler, showing its failure and keeping the button from double submits.
function onSubmit(form, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await handler();
    } catch (error) {
      if (!error.signedOut) showError(error.message);
    } finally {
      button.disabled = false;
    }
  });
}

// ---- wiring ------------------------------------------------------------------------------

onSubmit($('sign-in'), () => signIn($('username').value.trim()));

onSubmit($('new-session'), async () => {
  const kind = $('new-session-kind').value;
  const members = parseList($('new-session-members').value);
  const { sessionId } = await api('POST', '/api/v1/sessions', { kind, members, name: $('new-session-name').value.trim() });
  $('new-session').reset();
  state.selected = sessionId;
  await refreshSessions();
  select(sessionId);
});

onSubmit($('add-members'), async () => {
  const members = parseList($('add-members-input').value);
  await api('POST', `${sessionPath(state.selected)}/members`, { members });
  $('add-members-input').value = '';
  await refreshSessions();
});

onSubmit($('compose'), async () => {
  const content = $('message-input').value;
  if (!content.trim() || !state.selected) return;
  $('message-input').value = '';
  sendMessage(content);
});

$('refresh-sessions').addEventListener('click', refreshSessionsVisibly);
$('sign-out').addEventListener('click', () => signOut());

$('session-list').addEventListener('click', (event) => {
  const item = event.target.closest('[data-session-id]');
  if (item) select(item.dataset.sessionId);
});
$('session-list').addEventListener('keydown', (event) => {
  const item = event.target.closest('[data-session-id]');
  if (item && (event.key === 'Enter' || event.key === ' ')) select(item.dataset.sessionId);
});

const savedToken = sessionStorage.getItem('resonance.token');
$('username').value = sessionStorage.getItem('resonance.username') ?? '';
if (savedToken && !tokenExpired(savedToken)) start(savedToken, sessionStorage.getItem('resonance.username'));
