// Helpers of the observer's end-to-end tests: programs to observe, HTTP, event streams,
// Debian's chromium. Every wait is bounded; none sleeps for a fixed time.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';

// The bound of every wait: 20 s, longer in a sanitizer build (12,000 actors under TSan).
export const TIMEOUT = process.env.SUPC_SANITIZE ? 90000 : 20000;

/// Runs `program args`, waits for the line that gives the observer's URL (`pattern`, whose
/// first group is the URL). Returns { url, proc, lines, send, waitLine, stop }.
export async function start(program, args, pattern = /^url (\S+)/, env = {}) {
  const proc = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines = [];
  const waiters = [];
  let stderr = '';
  let buffer = '';
  const onLine = (line) => {
    lines.push(line);
    for (const w of waiters.slice()) if (w.re.test(line)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
  };
  proc.stdout.on('data', (d) => {
    buffer += d.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) { onLine(buffer.slice(0, i)); buffer = buffer.slice(i + 1); }
  });
  proc.stderr.on('data', (d) => { stderr += d.toString(); for (const l of d.toString().split('\n')) if (l) onLine(l); });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const waitLine = (re, timeout = TIMEOUT) => {
    const seen = lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { re, resolve };
      waiters.push(w);
      const t = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeout} ms; output:\n${lines.join('\n')}`)), timeout);
      exited.then(({ code }) => reject(new Error(`${program} exited (${code}) before ${re}:\n${lines.join('\n')}`)));
      const orig = w.resolve;
      w.resolve = (l) => { clearTimeout(t); orig(l); };
    });
  };
  const first = await waitLine(pattern);
  const url = first.match(pattern)[1];
  return {
    url, proc, lines, waitLine,
    stderr: () => stderr,
    send: (cmd) => proc.stdin.write(cmd + '\n'),
    /// Ends the program (a line `quit` or a signal) and returns its exit status; a program
    /// built with a sanitizer that found something exits non-zero.
    async stop(how = 'quit') {
      if (how === 'quit') proc.stdin.end('quit\n'); else proc.kill(how);
      // Stopping 12,000 actors one by one takes a while under ThreadSanitizer: a wider bound.
      const timer = setTimeout(() => proc.kill('SIGKILL'), 6 * TIMEOUT);
      const r = await exited;
      clearTimeout(timer);
      return { ...r, stderr };
    },
  };
}

export function fixture(args = []) {
  const program = process.env.OBSERVE_FIXTURE;
  if (!program) throw new Error('OBSERVE_FIXTURE is not set (run through ctest)');
  return start(program, args);
}

export async function get(base, path, init = {}) {
  const r = await fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(TIMEOUT) });
  const body = await r.text();
  return { status: r.status, headers: r.headers, body, json: () => JSON.parse(body) };
}

/// A request with headers fetch() will not send (Host).
export function rawGet(base, path, headers) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, headers, timeout: TIMEOUT }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/// An open event stream: events() so far, waitFor(predicate) for the next matching one.
export async function eventStream(base, path = '/api/events') {
  const ctrl = new AbortController();
  const r = await fetch(new URL(path, base), { signal: ctrl.signal });
  if (r.status !== 200) throw new Error(`event stream: ${r.status}`);
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  const messages = [];
  const waiters = [];
  let buffer = '';
  (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const m = { event: 'message', data: '', id: null };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) m.event = line.slice(7);
            else if (line.startsWith('data: ')) m.data += line.slice(6);
            else if (line.startsWith('id: ')) m.id = line.slice(4);
          }
          if (!m.data) continue;
          m.json = JSON.parse(m.data);
          messages.push(m);
          for (const w of waiters.slice()) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
        }
      }
    } catch { /* aborted */ }
  })();
  return {
    messages,
    waitFor(pred, what, timeout = TIMEOUT) {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${what} within ${timeout} ms`)), timeout);
        waiters.push({ pred, resolve: (m) => { clearTimeout(t); resolve(m); } });
      });
    },
    close: () => ctrl.abort(),
  };
}

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return null;
}

export async function launchBrowser() {
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = mkdtempSync(join(tmpdir(), 'supc-observe-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    userDataDir: profile,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
      `--user-data-dir=${profile}`],
    protocolTimeout: 2 * TIMEOUT,
  });
  const close = async () => { await browser.close(); rmSync(profile, { recursive: true, force: true }); };
  return { browser, close };
}

export function screenshotDir() {
  const d = process.env.SUPC_SCREENSHOTS || join(tmpdir(), 'supc-screenshots');
  mkdirSync(d, { recursive: true });
  return d;
}

export function promtool() {
  try { execFileSync('promtool', ['--version'], { stdio: 'ignore' }); return 'promtool'; } catch { return null; }
}

export function schema() {
  return JSON.parse(readFileSync(new URL('./schema.json', import.meta.url)));
}

/// Every node of a /api/tree document, depth first.
export function flatten(node, out = []) {
  out.push(node);
  for (const c of node.children || []) flatten(c, out);
  return out;
}
