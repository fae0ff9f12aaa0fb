// The observer's page (docs/observe.md). One event stream (/api/events?tree=1) brings the tree,
// then supervisor events (applied at once: a restart flashes its row) and patches of the nodes
// that changed (counts, mailboxes, intensity windows). The tree is drawn as an outline whose
// rows are rendered only where the viewport shows them, so 10,000 children stay smooth; big
// groups start collapsed. Every text from the program goes through textContent: ids and reasons
// are never parsed as HTML.
'use strict';

const ROW_H = 30;
const BIG_GROUP = 50; // supervisors with more children start collapsed
const LOG_MAX = 300;

const state = {
  nodes: new Map(), // path -> node (the JSON node, without children) + kids: [paths]
  root: null,
  expanded: new Map(), // path -> bool, what the user chose
  selected: null,
  query: '',
  onlyTrouble: false,
  rows: [], // the visible paths, in order
  flashes: new Map(), // path -> {kind, until}
  meta: null, // the latest header: runtime figures, readiness, control
  lastSteps: null,
  token: sessionStorage.getItem('supc-token') || '',
};

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
};

// ------------------------------------------------------------------ the model

function parentOf(path) {
  const i = path.lastIndexOf('/');
  return path === '' ? null : (i < 0 ? '' : path.slice(0, i));
}

function loadTree(doc) {
  state.nodes.clear();
  const walk = (n) => {
    const kids = (n.children || []).map((c) => c.path);
    const copy = Object.assign({}, n, { kids });
    delete copy.children;
    state.nodes.set(n.path, copy);
    (n.children || []).forEach(walk);
  };
  walk(doc.root);
  state.root = '';
  setMeta(doc);
  rebuildRows();
}

function upsert(n) {
  const old = state.nodes.get(n.path);
  const kids = old ? old.kids : [];
  state.nodes.set(n.path, Object.assign({}, n, { kids }));
  if (!old && n.parent !== null && n.parent !== undefined) {
    const p = state.nodes.get(n.parent);
    if (p && !p.kids.includes(n.path)) p.kids.push(n.path);
    return true;
  }
  return false;
}

function remove(path) {
  const n = state.nodes.get(path);
  if (!n) return;
  for (const k of n.kids.slice()) remove(k);
  state.nodes.delete(path);
  const p = state.nodes.get(parentOf(path));
  if (p) p.kids = p.kids.filter((k) => k !== path);
}

function applyPatch(doc) {
  let structural = false;
  for (const n of doc.upsert) structural = upsert(n) || structural;
  for (const p of doc.remove) { remove(p); structural = true; }
  setMeta(doc);
  if (structural) rebuildRows(); else scheduleRender();
  if (state.selected !== null && (doc.upsert.some((n) => n.path === state.selected))) renderDetails(false);
}

// A supervisor event: shown at once, before the next patch brings the exact figures.
function applyEvent(ev) {
  appendLog(ev);
  let n = state.nodes.get(ev.path);
  let structural = false;
  if (!n && (ev.kind === 'child_started' || ev.kind === 'child_restarted')) {
    structural = upsert({ path: ev.path, id: ev.id, parent: ev.supervisor, kind: ev.child_type,
      type: ev.child_type, state: 'running', pid: ev.pid, class: null, restarts: 0, last_exit: null,
      mailbox: 0, supervisor: null });
    n = state.nodes.get(ev.path);
  }
  if (n) {
    switch (ev.kind) {
      case 'child_started': case 'child_restarted':
        n.state = 'running'; n.pid = ev.pid;
        if (ev.kind === 'child_restarted') flash(ev.path, 'restart');
        break;
      case 'child_exited':
        n.state = 'restarting'; n.pid = null;
        n.last_exit = { reason: ev.reason, class: ev.reason_class, at_ms: ev.at_ms, by: 'self' };
        flash(ev.path, ev.reason_class === 'error' || ev.reason_class === 'killed' ? 'crash' : 'restart');
        break;
      case 'child_terminated':
        n.state = 'stopped'; n.pid = null;
        n.last_exit = { reason: ev.reason, class: ev.reason_class, at_ms: ev.at_ms, by: 'supervisor' };
        break;
      case 'restart_delayed':
        n.state = 'backing_off'; n.restart_due_ms = ev.at_ms + (ev.delay_ms || 0);
        break;
      case 'start_failed':
        n.state = 'restarting'; flash(ev.path, 'crash');
        break;
      case 'give_up': case 'supervisor_stopped':
        flash(ev.path, 'crash');
        if (ev.kind === 'supervisor_stopped') n.state = 'stopped';
        break;
    }
  }
  if (structural) rebuildRows(); else scheduleRender();
  if (state.selected !== null && (ev.path === state.selected || ev.path.startsWith(state.selected === '' ? '' : state.selected + '/'))) {
    renderDetails(true);
  }
}

function flash(path, kind) {
  state.flashes.set(path, { kind, until: performance.now() + 2400, seq: (state.flashes.get(path)?.seq || 0) + 1 });
}

function setMeta(doc) {
  state.meta = doc;
  $('title').textContent = doc.title || 'supc observer';
  document.title = (doc.title || 'supc observer');
  const rs = $('root-state');
  rs.dataset.state = doc.root_running ? 'running' : 'stopped';
  rs.textContent = doc.root_running ? 'tree running' : 'tree stopped';
  const rd = $('ready');
  rd.dataset.state = doc.ready ? 'ready' : 'not-ready';
  rd.textContent = doc.ready ? 'ready' : 'not ready';
  const rt = doc.runtime || {};
  let sup = 0, total = 0, restarts = 0;
  for (const n of state.nodes.values()) { total++; if (n.supervisor) sup++; restarts += n.restarts || 0; }
  $('fig-nodes').textContent = `${fmt(total)} (${fmt(sup)} sup.)`;
  $('fig-restarts').textContent = fmt(restarts);
  $('fig-actors').textContent = fmt(rt.live_actors);
  $('fig-sched').textContent = `${rt.schedulers} on ${rt.threads} thr.`;
  $('fig-runq').textContent = fmt(rt.run_queue);
  if (state.lastSteps && doc.taken_ms > state.lastSteps.t) {
    const rate = (rt.steps - state.lastSteps.steps) * 1000 / (doc.taken_ms - state.lastSteps.t);
    $('fig-steps').textContent = fmt(Math.max(0, Math.round(rate)));
  }
  state.lastSteps = { steps: rt.steps, t: doc.taken_ms };
}

const fmt = (n) => (n === undefined || n === null) ? '–' : Number(n).toLocaleString('en-US');

// ------------------------------------------------------------------ visible rows

function isExpanded(path) {
  const n = state.nodes.get(path);
  if (!n || n.kids.length === 0) return false;
  if (state.expanded.has(path)) return state.expanded.get(path);
  return n.kids.length <= BIG_GROUP;
}

function troubled(n) { return n.state !== 'running'; }

function rebuildRows() {
  const rows = [];
  const q = state.query.trim().toLowerCase();
  if (!state.nodes.has('')) { state.rows = rows; scheduleRender(); return; }
  if (q || state.onlyTrouble) {
    // Matches and their ancestors, in tree order.
    const keep = new Set();
    let matches = 0;
    for (const [path, n] of state.nodes) {
      const hit = (!q || path.toLowerCase().includes(q) || (q === '/' && path === '')) &&
                  (!state.onlyTrouble || troubled(n));
      if (hit) {
        matches++;
        for (let p = path; p !== null; p = parentOf(p)) { if (keep.has(p)) break; keep.add(p); }
      }
    }
    const walk = (path, depth) => {
      if (!keep.has(path)) return;
      rows.push({ path, depth });
      for (const k of state.nodes.get(path).kids) walk(k, depth + 1);
    };
    walk('', 0);
    $('search-count').textContent = `${fmt(matches)} match${matches === 1 ? '' : 'es'}`;
  } else {
    const walk = (path, depth) => {
      rows.push({ path, depth });
      if (isExpanded(path)) for (const k of state.nodes.get(path).kids) walk(k, depth + 1);
    };
    walk('', 0);
    $('search-count').textContent = '';
  }
  state.rows = rows;
  $('empty').hidden = rows.length > 0;
  $('spacer').style.height = `${rows.length * ROW_H}px`;
  scheduleRender();
}

// ------------------------------------------------------------------ rendering

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; render(); });
}

const rowPool = [];
function render() {
  const vp = $('viewport');
  const first = Math.max(0, Math.floor(vp.scrollTop / ROW_H) - 8);
  const last = Math.min(state.rows.length, Math.ceil((vp.scrollTop + vp.clientHeight) / ROW_H) + 8);
  const container = $('rows');
  const needed = last - first;
  while (rowPool.length < needed) {
    const r = makeRow();
    rowPool.push(r);
    container.appendChild(r.el);
  }
  const now = Date.now();
  const perf = performance.now();
  for (let i = 0; i < rowPool.length; i++) {
    const r = rowPool[i];
    if (i >= needed) { r.el.hidden = true; r.path = null; continue; }
    const { path, depth } = state.rows[first + i];
    r.el.hidden = false;
    fillRow(r, state.nodes.get(path), depth, first + i, now, perf);
  }
}

function makeRow() {
  const e = el('div', 'row');
  e.setAttribute('role', 'treeitem');
  const name = el('span', 'name');
  const indent = el('span', 'indent');
  const toggle = el('span', 'toggle');
  const dot = el('span', 'dot');
  const id = el('span', 'id');
  const summary = el('span', 'summary');
  name.append(indent, toggle, dot, id, summary);
  const st = el('span', 'state');
  const kind = el('span'); const kindTag = el('span', 'tag'); kind.append(kindTag);
  const restart = el('span'); const restartTag = el('span', 'tag'); restart.append(restartTag);
  const count = el('span', 'count');
  const exit = el('span', 'exit');
  const exitReason = el('span', 'reason'); const exitWhen = el('span', 'when');
  exit.append(exitReason, exitWhen);
  const live = el('span', 'live');
  const meter = el('span', 'meter'); const fill = el('i'); meter.append(fill);
  const liveText = el('span');
  live.append(meter, liveText);
  e.append(name, st, kind, restart, count, exit, live);
  const r = { el: e, indent, toggle, dot, id, summary, st, kindTag, restartTag, count, exit,
    exitReason, exitWhen, meter, fill, liveText, path: null, flashSeq: 0 };
  e.addEventListener('click', (ev) => {
    if (r.path === null) return;
    if (ev.target === toggle) { toggleExpand(r.path); return; }
    select(r.path);
  });
  e.addEventListener('dblclick', () => { if (r.path !== null) toggleExpand(r.path); });
  return r;
}

function fillRow(r, n, depth, index, now, perf) {
  const e = r.el;
  if (r.path !== n.path) { r.flashSeq = 0; e.classList.remove('flash-restart', 'flash-crash'); }
  r.path = n.path;
  e.style.transform = `translateY(${index * ROW_H}px)`;
  e.dataset.path = n.path;
  e.dataset.state = n.state;
  e.classList.toggle('selected', state.selected === n.path);
  r.indent.style.width = `${depth * 18}px`;
  r.indent.style.flex = 'none';
  const hasKids = n.kids.length > 0;
  const open = hasKids && (state.query || state.onlyTrouble ? true : isExpanded(n.path));
  r.toggle.textContent = hasKids ? (open ? '▾' : '▸') : '';
  e.setAttribute('aria-expanded', hasKids ? String(open) : 'false');
  r.id.textContent = n.path === '' ? (state.meta?.title || 'root') : n.id;
  r.id.title = n.path === '' ? '(root)' : n.path;
  if (hasKids && !open) {
    let run = 0;
    for (const k of n.kids) if (state.nodes.get(k)?.state === 'running') run++;
    r.summary.textContent = `${fmt(n.kids.length)} children · ${fmt(run)} running`;
  } else if (n.error) {
    r.summary.textContent = `(${n.error})`;
  } else {
    // The class of a worker tells what it is; a supervisor's is the runtime's own.
    r.summary.textContent = n.class && !n.class.startsWith('sup::detail::') ? n.class : '';
  }
  r.st.textContent = n.state.replace('_', ' ');
  r.kindTag.textContent = n.kind.replace('_', ' ');
  r.kindTag.className = `tag ${n.kind}`;
  r.restartTag.textContent = n.restart || '';
  r.restartTag.className = n.restart ? `tag ${n.restart}` : '';
  r.restartTag.hidden = !n.restart;
  r.count.textContent = fmt(n.restarts || 0);
  r.count.classList.toggle('hot', (n.restarts || 0) > 0);
  if (n.last_exit) {
    r.exit.className = `exit ${n.last_exit.class}`;
    r.exitReason.textContent = n.last_exit.reason;
    r.exitWhen.textContent = ` · ${ago(now - n.last_exit.at_ms)}`;
    r.exit.title = `${n.last_exit.by === 'self' ? 'exited' : 'stopped by its supervisor'}: ${n.last_exit.reason}`;
  } else {
    r.exit.className = 'exit';
    r.exitReason.textContent = '';
    r.exitWhen.textContent = '';
    r.exit.title = '';
  }
  if (n.supervisor) {
    const s = n.supervisor;
    r.meter.hidden = false;
    const used = s.restarts_in_period, max = s.intensity;
    r.fill.style.width = `${Math.min(100, max > 0 ? (used / max) * 100 : (used > 0 ? 100 : 0))}%`;
    r.meter.className = `meter${used >= max && used > 0 ? ' full' : used * 2 > max ? ' warn' : ''}`;
    r.liveText.textContent = `${used} of ${max} in ${secs(s.period_ms)}`;
    r.liveText.className = '';
    r.liveText.title = `${s.strategy}: more than ${max} restarts within ${secs(s.period_ms)} and it gives up`;
  } else {
    r.meter.hidden = true;
    r.liveText.textContent = n.pid ? `✉ ${fmt(n.mailbox)}` : '';
    r.liveText.className = `mail${n.mailbox > 100 ? ' busy' : ''}`;
    r.liveText.title = 'messages waiting in its mailbox';
  }
  const f = state.flashes.get(n.path);
  if (f && f.until > perf) {
    if (r.flashSeq !== f.seq) {
      e.classList.remove('flash-restart', 'flash-crash');
      void e.offsetWidth; // restart the animation
      e.classList.add(f.kind === 'crash' ? 'flash-crash' : 'flash-restart');
      r.flashSeq = f.seq;
    }
  } else if (f) {
    state.flashes.delete(n.path);
  }
}

function secs(ms) { return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`; }
function ago(ms) {
  if (ms < 0) ms = 0;
  if (ms < 1000) return 'just now';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

function toggleExpand(path) {
  state.expanded.set(path, !isExpanded(path));
  rebuildRows();
}

// ------------------------------------------------------------------ details

function select(path) {
  state.selected = path;
  scheduleRender();
  renderDetails(true);
}

let detailsFetch = 0;
function renderDetails(fetchEvents) {
  const pane = $('details');
  const n = state.nodes.get(state.selected);
  if (!n) { pane.replaceChildren(el('p', 'muted hint', 'Click a node to see its settings and recent events.')); return; }
  const parts = [];
  const h = el('h2', null, n.path === '' ? '(root)' : n.path);
  parts.push(h);
  const badge = el('span', 'badge', n.state.replace('_', ' '));
  badge.dataset.state = n.state === 'running' ? 'running' : n.state === 'stopped' ? 'stopped' : 'unknown';
  parts.push(badge);
  parts.push(el('h3', null, 'Settings'));
  const rows = [
    ['kind', n.kind], ['class', n.class], ['pid', n.pid], ['type', n.type],
    ['restart', n.restart], ['shutdown', n.shutdown === undefined ? undefined : (/^\d+$/.test(n.shutdown) ? `${n.shutdown} ms` : n.shutdown)],
    ['significant', n.significant === undefined ? undefined : String(n.significant)],
    ['name', !n.name ? undefined : n.name.kind === 'via' ? `via(${JSON.stringify(n.name.registry)}, ${JSON.stringify(n.name.key)})` : JSON.stringify(n.name.name)],
  ];
  if (n.supervisor) {
    const s = n.supervisor;
    rows.push(['strategy', s.strategy], ['intensity', `${s.intensity} per ${secs(s.period_ms)}`],
      ['restarts in period', `${s.restarts_in_period} of ${s.intensity}`], ['auto_shutdown', s.auto_shutdown],
      ['backoff', s.backoff ? `${s.backoff.min_ms}–${s.backoff.max_ms} ms, jitter ${s.backoff.jitter}` : 'none']);
    if (s.max_children !== null) rows.push(['max_children', s.max_children]);
    if (s.template) rows.push(['template', `${s.template.type}, ${s.template.restart}, shutdown ${s.template.shutdown}`]);
    rows.push(['children', `${fmt(s.counts.total)} (${fmt(s.counts.running)} running, ${fmt(s.counts.restarting)} restarting, ${fmt(s.counts.stopped)} stopped)`]);
  }
  parts.push(table(rows));
  parts.push(el('h3', null, 'Live'));
  const live = [['restarts', fmt(n.restarts || 0)], ['mailbox', n.pid ? fmt(n.mailbox) : undefined]];
  if (n.last_exit) {
    live.push(['last exit', `${n.last_exit.reason} (${n.last_exit.class}, ${n.last_exit.by === 'self' ? 'on its own' : 'stopped by its supervisor'})`],
      ['at', new Date(n.last_exit.at_ms).toLocaleTimeString()]);
  }
  if (n.state === 'backing_off' && n.restart_due_ms) live.push(['restart due', new Date(n.restart_due_ms).toLocaleTimeString()]);
  if (n.error) live.push(['error', n.error]);
  parts.push(table(live));
  if (state.meta?.control && n.path !== '') parts.push(controlBox(n));
  parts.push(el('h3', null, 'Recent events'));
  const list = el('ol', 'events');
  list.id = 'node-events';
  const old = document.getElementById('node-events');
  if (old && !fetchEvents) list.replaceChildren(...old.childNodes);
  parts.push(list);
  pane.replaceChildren(...parts);
  if (fetchEvents) {
    const mine = ++detailsFetch;
    fetch(`/api/node?path=${encodeURIComponent(n.path)}`).then((r) => r.json()).then((doc) => {
      if (mine !== detailsFetch) return;
      const items = (doc.events || []).slice(-40).reverse().map((ev) => {
        const li = el('li');
        li.append(el('span', 'ev-time', new Date(ev.at_ms).toLocaleTimeString()),
          el('span', `ev-kind ${ev.kind}`, ev.kind), el('span', 'ev-path', ev.path || '(root)'),
          el('span', 'ev-reason', ev.kind === 'child_started' || ev.kind === 'child_restarted' ? ev.pid : ev.reason));
        return li;
      });
      const target = document.getElementById('node-events');
      if (target) target.replaceChildren(...(items.length ? items : [el('li', 'muted', 'none kept')]));
    }).catch(() => {});
  }
}

function table(rows) {
  const t = el('table');
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === '') continue;
    const tr = el('tr');
    tr.append(el('td', null, k), el('td', null, v));
    t.append(tr);
  }
  return t;
}

function controlBox(n) {
  const box = el('div', 'control');
  box.append(el('h3', null, 'Control'));
  const token = el('input');
  token.type = 'password';
  token.placeholder = 'control token';
  token.value = state.token;
  token.addEventListener('change', () => { state.token = token.value; sessionStorage.setItem('supc-token', token.value); });
  const buttons = el('div', 'buttons');
  const result = el('div', 'result muted');
  for (const action of ['kill', 'restart', 'terminate']) {
    const b = el('button', null, action);
    b.type = 'button';
    b.dataset.action = action;
    b.addEventListener('click', () => {
      if (!b.classList.contains('armed')) { // a second click confirms
        b.classList.add('armed'); b.textContent = `${action}?`;
        setTimeout(() => { b.classList.remove('armed'); b.textContent = action; }, 3000);
        return;
      }
      b.classList.remove('armed'); b.textContent = action;
      state.token = token.value;
      fetch(`/api/control/${action}?path=${encodeURIComponent(n.path)}`,
        { method: 'POST', headers: { Authorization: `Bearer ${state.token}` } })
        .then(async (r) => {
          const doc = await r.json().catch(() => ({}));
          result.textContent = r.ok ? `${action}: done` : `${action}: ${doc.error || r.status}`;
        }).catch((e) => { result.textContent = `${action}: ${e}`; });
    });
    buttons.append(b);
  }
  box.append(token, buttons, result);
  return box;
}

// ------------------------------------------------------------------ the event log

function appendLog(ev) {
  const log = $('log');
  const li = el('li');
  li.append(el('span', 'ev-time', new Date(ev.at_ms).toLocaleTimeString()),
    el('span', `ev-kind ${ev.kind}`, ev.kind), el('span', 'ev-path', ev.path || '(root)'));
  if (ev.kind !== 'child_started' && ev.kind !== 'child_restarted') li.append(el('span', 'ev-reason', ev.reason));
  log.prepend(li);
  while (log.childElementCount > LOG_MAX) log.lastElementChild.remove();
  state.logCount = (state.logCount || 0) + 1;
  $('log-count').textContent = `(${fmt(state.logCount)} since the page opened)`;
}

// ------------------------------------------------------------------ wiring

function connect() {
  const conn = $('conn');
  const es = new EventSource('/api/events?tree=1');
  es.addEventListener('open', () => { conn.dataset.state = 'live'; conn.textContent = 'live'; });
  es.addEventListener('error', () => { conn.dataset.state = 'lost'; conn.textContent = 'reconnecting'; });
  es.addEventListener('tree', (m) => { loadTree(JSON.parse(m.data)); document.body.dataset.loaded = 'true'; if (state.selected !== null) renderDetails(true); });
  es.addEventListener('patch', (m) => applyPatch(JSON.parse(m.data)));
  es.addEventListener('supervisor', (m) => applyEvent(JSON.parse(m.data)));
}

function init() {
  $('viewport').addEventListener('scroll', scheduleRender, { passive: true });
  window.addEventListener('resize', scheduleRender);
  let searchTimer = 0;
  $('search').addEventListener('input', (e) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.query = e.target.value; $('viewport').scrollTop = 0; rebuildRows(); }, 120);
  });
  $('only-trouble').addEventListener('change', (e) => { state.onlyTrouble = e.target.checked; rebuildRows(); });
  $('expand-all').addEventListener('click', () => { for (const [p, n] of state.nodes) if (n.kids.length) state.expanded.set(p, true); rebuildRows(); });
  $('collapse-all').addEventListener('click', () => { for (const [p, n] of state.nodes) if (n.kids.length && p !== '') state.expanded.set(p, false); rebuildRows(); });
  $('viewport').addEventListener('keydown', (e) => {
    if (state.selected === null) return;
    const i = state.rows.findIndex((r) => r.path === state.selected);
    if (e.key === 'ArrowDown' && i + 1 < state.rows.length) { select(state.rows[i + 1].path); e.preventDefault(); }
    else if (e.key === 'ArrowUp' && i > 0) { select(state.rows[i - 1].path); e.preventDefault(); }
    else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const open = isExpanded(state.selected);
      if ((e.key === 'ArrowRight') !== open) toggleExpand(state.selected);
      e.preventDefault();
    }
  });
  setInterval(scheduleRender, 1000); // "12 s ago"
  connect();
}

init();
