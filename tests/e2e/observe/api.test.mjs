// The observer's HTTP API end to end, against observe_fixture: the JSON documents against
// their schema (observe/api.schema.json, documented in docs/observe.md), the event stream,
// /metrics through Prometheus' own promtool, health, control and its token, hostile requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { fixture, get, rawGet, eventStream, promtool, schema, flatten } from './lib.mjs';

const { default: Ajv } = await import('ajv');
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema(), 'api');
const validate = (def, doc) => {
  const v = ajv.getSchema(`api#/definitions/${def}`);
  assert.ok(v(doc), `${def}: ${ajv.errorsText(v.errors)}`);
  // Round trip: what is parsed and written again is the same document.
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
};
const TOKEN = 'e2e-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };

function metric(text, name, labels) {
  const want = `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}} `;
  const line = text.split('\n').find((l) => l.startsWith(want));
  return line === undefined ? 0 : Number(line.slice(want.length));
}

test('the observed program', async (t) => {
  const app = await fixture(['--token', TOKEN]);
  try {
    await t.test('/api/tree has the documented shape and the right nodes', async () => {
      const r = await get(app.url, '/api/tree');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      const doc = r.json();
      validate('tree', doc);
      const paths = flatten(doc.root).map((n) => n.path).sort();
      assert.deepEqual(paths, ['', 'connections', 'connections/1', 'connections/2', 'pool',
        'pool/worker_1', 'pool/worker_2', 'pool/worker_3', 'repo', 'services', 'services/cache',
        'services/mailer']);
      const services = flatten(doc.root).find((n) => n.path === 'services');
      assert.equal(services.supervisor.strategy, 'one_for_all');
      assert.equal(services.supervisor.intensity, 3);
      assert.equal(services.supervisor.period_ms, 5000);
      const cache = flatten(doc.root).find((n) => n.path === 'services/cache');
      assert.equal(cache.shutdown, '10000');
      assert.equal(cache.class, 'sup::testing::StandIn');
      const mailer = flatten(doc.root).find((n) => n.path === 'services/mailer');
      assert.equal(mailer.restart, 'transient');
      assert.equal(mailer.shutdown, 'brutal_kill');
      const conns = flatten(doc.root).find((n) => n.path === 'connections');
      assert.equal(conns.kind, 'dynamic_supervisor');
      assert.equal(conns.supervisor.max_children, 10000);
      assert.equal(doc.control, true);
    });

    await t.test('a crash: events on the stream, counters in /metrics, promtool accepts it', async (t) => {
      const before = (await get(app.url, '/metrics')).body;
      const stream = await eventStream(app.url);
      app.send('crash services/cache injected fault');
      const restarted = await stream.waitFor((m) => m.event === 'supervisor' && m.json.kind === 'child_restarted' && m.json.path === 'services/mailer', 'the restart of services/mailer');
      for (const m of stream.messages.filter((m) => m.event === 'supervisor')) validate('event', m.json);
      const exited = stream.messages.find((m) => m.json.kind === 'child_exited' && m.json.path === 'services/cache');
      assert.ok(exited);
      assert.equal(exited.json.reason, 'injected fault');
      assert.equal(exited.json.reason_class, 'error');
      assert.ok(Number(restarted.id) > Number(exited.id));
      stream.close();

      const after = (await get(app.url, '/metrics')).body;
      const restarts = (text) => metric(text, 'supc_child_restarts_total', { path: 'services/cache' });
      assert.equal(restarts(after), restarts(before) + 1);
      assert.equal(metric(after, 'supc_child_exits_total', { path: 'services/cache', reason: 'error' }),
        metric(before, 'supc_child_exits_total', { path: 'services/cache', reason: 'error' }) + 1);
      assert.equal(metric(after, 'supc_supervisor_restarts_in_period', { path: 'services' }), 1);

      const tree = (await get(app.url, '/api/tree')).json();
      const cache = flatten(tree.root).find((n) => n.path === 'services/cache');
      assert.equal(cache.restarts, 1);
      assert.equal(cache.last_exit.reason, 'injected fault');
      assert.equal(cache.last_exit.by, 'self');
      assert.deepEqual(cache.name, { kind: 'local', name: 'cache' });
      assert.equal(flatten(tree.root).find((n) => n.path === 'services/mailer').name, null);

      const node = (await get(app.url, '/api/node?path=services%2Fcache')).json();
      validate('nodeDocument', node);
      assert.ok(node.events.some((e) => e.kind === 'child_exited'));
      const recent = (await get(app.url, '/api/events/recent?limit=3')).json();
      assert.equal(recent.length, 3);
      for (const e of recent) validate('event', e);

      const tool = promtool();
      if (!tool) { t.skip('promtool is not installed (Debian package prometheus): not validated'); return; }
      execFileSync(tool, ['check', 'metrics'], { input: after });
    });

    await t.test('a stream that reconnects gets the events it missed', async () => {
      const recent = (await get(app.url, '/api/events/recent?limit=1')).json();
      const last = recent[0].seq;
      const live = await eventStream(app.url);
      app.send('crash pool/worker_2');
      await live.waitFor((m) => m.json.kind === 'child_restarted' && m.json.path === 'pool/worker_2', 'the restart');
      live.close();
      const replay = await eventStream(app.url, `/api/events?since=${last}`);
      const m = await replay.waitFor((m) => m.json.kind === 'child_restarted' && m.json.path === 'pool/worker_2', 'the replayed restart');
      assert.ok(Number(m.id) > last);
      replay.close();
    });

    await t.test('control: refused without the token, done with it', async () => {
      const none = await get(app.url, '/api/control/kill?path=pool%2Fworker_1', { method: 'POST' });
      assert.equal(none.status, 401);
      validate('error', none.json());
      const wrong = await get(app.url, '/api/control/kill?path=pool%2Fworker_1',
        { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}x` } });
      assert.equal(wrong.status, 401);
      const stream = await eventStream(app.url);
      const ok = await get(app.url, '/api/control/kill?path=pool%2Fworker_1', { method: 'POST', headers: auth });
      assert.equal(ok.status, 200);
      const exit = await stream.waitFor((m) => m.json.kind === 'child_exited' && m.json.path === 'pool/worker_1', 'the kill');
      assert.equal(exit.json.reason, 'killed');
      await stream.waitFor((m) => m.json.kind === 'child_restarted' && m.json.path === 'pool/worker_1', 'the restart');
      stream.close();
      const gone = await get(app.url, '/api/control/restart?path=pool%2Fnobody', { method: 'POST', headers: auth });
      assert.equal(gone.status, 404);
    });

    await t.test('another host name is refused (DNS rebinding); unknown paths are 404', async () => {
      const evil = await rawGet(app.url, '/api/tree', { Host: 'attacker.example' });
      assert.equal(evil.status, 403);
      const local = await rawGet(app.url, '/api/tree', { Host: 'localhost' });
      assert.equal(local.status, 200);
      assert.equal((await get(app.url, '/nothing')).status, 404);
    });

    await t.test('hostile connections: the program and the observer go on', async () => {
      const port = Number(new URL(app.url).port);
      const sockets = [];
      for (let i = 0; i < 50; i++) {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => {});
        s.write(i % 2 ? 'GET /api/tree HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' : '\x00\x01garbage\r\n\r\n');
        sockets.push(s);
      }
      const huge = net.connect(port, '127.0.0.1');
      huge.on('error', () => {});
      huge.write('GET / HTTP/1.1\r\n' + ('X-Huge: ' + 'h'.repeat(8000) + '\r\n').repeat(50));
      const stream = await eventStream(app.url);
      app.send('crash services/cache');
      await stream.waitFor((m) => m.json.kind === 'child_restarted' && m.json.path === 'services/cache', 'a restart meanwhile');
      stream.close();
      assert.equal((await get(app.url, '/healthz')).status, 200);
      for (const s of sockets) s.destroy();
      huge.destroy();
    });
  } finally {
    const end = await app.stop();
    assert.equal(end.code, 0, `the fixture exited ${end.code}: ${end.stderr}`);
  }
});

test('health and readiness flip when the root gives up', async () => {
  const app = await fixture(['--root-intensity', '0']);
  try {
    assert.equal((await get(app.url, '/healthz')).status, 200);
    assert.equal((await get(app.url, '/readyz')).status, 200);
    const stream = await eventStream(app.url);
    app.send('crash-root-child');
    await stream.waitFor((m) => m.json.kind === 'supervisor_stopped' && m.json.path === '', 'the root to stop');
    stream.close();
    const h = await get(app.url, '/healthz');
    assert.equal(h.status, 503);
    assert.match(h.body, /root supervisor has stopped \(shutdown\)/);
    assert.equal((await get(app.url, '/readyz')).status, 503);
    const m = (await get(app.url, '/metrics')).body;
    assert.equal(metric(m, 'supc_supervisor_give_ups_total', { path: '' }), 1);
    assert.match(m, /^supc_tree_up 0$/m);
  } finally {
    const end = await app.stop();
    assert.equal(end.code, 0, end.stderr);
  }
});

test('read-only unless the program enables control', async () => {
  const app = await fixture([]);
  try {
    const r = await get(app.url, '/api/control/kill?path=repo', { method: 'POST', headers: auth });
    assert.equal(r.status, 403);
    assert.equal((await get(app.url, '/api/tree')).json().control, false);
  } finally {
    const end = await app.stop();
    assert.equal(end.code, 0, end.stderr);
  }
});

test('SUPC_OBSERVE: a generated program serves its tree', async (t) => {
  const program = process.env.PHOENIX_APP;
  if (!program) { t.skip('examples/phoenix_app is not built here (SUPC_BUILD_EXAMPLES=OFF)'); return; }
  const { spawnSync } = await import('node:child_process');
  const run = (value) => spawnSync(program, [], { env: { ...process.env, POOL_SIZE: '3', SUPC_OBSERVE: value }, encoding: 'utf8', timeout: 60000 });
  const ok = run('127.0.0.1:0');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /^supc: observing the tree at http:\/\/127\.0\.0\.1:[0-9]+\/$/m);
  const bad = run('nowhere');
  assert.equal(bad.status, 0, bad.stderr); // a bad address does not stop the program
  assert.match(bad.stderr, /supc: SUPC_OBSERVE: invalid address 'nowhere': .*; not observing/);
});
