// Cold start and memory of the proxy in Lambda mode, against a fake Lambda Runtime API and a fake
// Fingerprint upstream, both on loopback only.
//
//   node coldstart.mjs --runs 10 --invocations 1000 [--cgroup DIR] -- <command to start the host...>
//
// Cold start = from starting the process to the first response posted to the Runtime API (the event is
// a real identification POST proxied to the fake upstream). Memory = VmRSS/VmHWM of the process after
// the given number of invocations. Prints one JSON line.
//
// --cgroup DIR (a cgroup v1 directory, e.g. from cpu-share.sh) runs the command inside that cgroup, as a
// Lambda function's process starts inside its sandbox's: a shell moves itself into the cgroup first (a
// cgroup v1 move waits for the kernel, about 10 ms) and execs the command only then, when the clock
// starts; the shell's own CPU time is left out of the process's. Starts are 150 ms apart, so that each
// begins with the quota of a period of its own.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
if (sep < 0 || sep === argv.length - 1) {
  console.error('usage: node coldstart.mjs [--runs N] [--invocations N] [--label L] -- command args...');
  process.exit(2);
}
const opts = Object.fromEntries(argv.slice(0, sep).join(' ').split('--').filter(Boolean).map((s) => s.trim().split(/\s+/)));
const command = argv.slice(sep + 1);
const runs = Number(opts.runs ?? 10);
const invocations = Number(opts.invocations ?? 1000);
const label = opts.label ?? command.join(' ');
const cgroup = opts.cgroup;
const eventJson = readFileSync(path.join(here, '../../tests/Hosting.AwsLambda.Tests/Events/post-binary-body.json'));

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address().port));
  });
}

// Fake Fingerprint: answers every request like an identification response. On 127.0.0.1 and ::1 (same
// port), because the proxy is pointed at http://localhost:<port> (its ingress must be a DNS name).
const upstreamHandler = (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'set-cookie': ['_iidt=abc; Path=/; Max-Age=31536000; Secure; HttpOnly; SameSite=None', '_vid_t=def; Path=/; Secure'],
    });
    res.end('{"v":"2","requestId":"1732180447123.AbC123","products":{}}');
  });
};
const upstream4 = http.createServer(upstreamHandler);
const upstreamPort = await listen(upstream4, 0, '127.0.0.1');
const upstream6 = http.createServer(upstreamHandler);
await listen(upstream6, upstreamPort, '::1').catch(() => {});

// Fake Runtime API: hands out `remaining` copies of the event, then holds the long poll.
let remaining = 0;
let requestSeq = 0;
let onResponse = () => {};
let parked = [];
const runtime = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/2018-06-01/runtime/invocation/next') {
    const serve = () => {
      remaining--;
      res.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': `req-${++requestSeq}`,
        'lambda-runtime-deadline-ms': String(Date.now() + 30000),
        'lambda-runtime-trace-id': 'Root=1-673ef9df-3c2b1a0e5d6f7a8b9c0d1e2f;Sampled=0',
        'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:bench',
      });
      res.end(eventJson);
    };
    if (remaining > 0) serve(); else parked.push(serve);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(202).end('{"status":"OK"}');
    const body = Buffer.concat(chunks).toString();
    if (req.url.endsWith('/response')) {
      onResponse(JSON.parse(body));
    } else {
      console.error(`unexpected post ${req.url}: ${body}`);
      process.exit(1);
    }
  });
});
const runtimePort = await listen(runtime, 0, '127.0.0.1');

// Prepares the command's start: without --cgroup, go() spawns it; with it, a shell is started and has
// joined the cgroup when this resolves, and go() lets it exec the command. go() returns the process.
async function start() {
  parked = [];
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DOTNET_ROOT: process.env.DOTNET_ROOT ?? '',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('DOTNET_') && k !== 'DOTNET_ROOT')),
    AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${runtimePort}`,
    AWS_REGION: 'eu-west-1',
    FPJS_INGRESS_BASE_URL: `http://localhost:${upstreamPort}`,
    FPJS_PRE_SHARED_SECRET: 'bench-secret',
  };
  if (!cgroup) {
    return { shell: null, go: () => spawn(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'inherit'], env }) };
  }
  // The shell joins the cgroup, says so on fd 3, and execs the command when a line arrives on its stdin.
  const script = 'echo $$ >"$0/cgroup.procs" && echo >&3 && exec 3>&- && read -r _ && exec "$@"';
  const child = spawn('/bin/sh', ['-c', script, cgroup, ...command], { stdio: ['pipe', 'ignore', 'inherit', 'pipe'], env });
  await new Promise((resolve, reject) => {
    child.stdio[3].once('data', resolve);
    child.once('exit', (code) => reject(new Error(`could not join ${cgroup} (exit ${code})`)));
  });
  return { shell: child, go: () => { child.stdin.end('\n'); return child; } };
}

function nextResponse() {
  return new Promise((resolve) => { onResponse = resolve; });
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))[1]);
  const mib = (key) => +(kb(key) / 1024).toFixed(1);
  // RssAnon: heap and stacks; RssFile: the executable's (and libraries') pages read so far.
  return { rssMiB: mib('VmRSS'), peakRssMiB: mib('VmHWM'), anonMiB: mib('RssAnon'), fileMiB: mib('RssFile') };
}

// CPU time the process has used so far: the scheduler's nanoseconds on a CPU, summed over its threads.
function cpuMs(pid) {
  let ns = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return +(ns / 1e6).toFixed(1);
}

const coldStarts = [];
const coldCpu = [];
for (let i = 0; i < runs; i++) {
  remaining = 1;
  const { shell, go } = await start();
  const cpuBefore = shell ? cpuMs(shell.pid) : 0;
  const response = nextResponse();
  const t0 = process.hrtime.bigint();
  const child = go();
  const first = await response;
  coldStarts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  coldCpu.push(+(cpuMs(child.pid) - cpuBefore).toFixed(1));
  if (first.statusCode !== 200 || first.cookies?.length !== 2) {
    console.error('unexpected first response', JSON.stringify(first).slice(0, 300));
    process.exit(1);
  }
  await stop(child);
  if (cgroup) {
    // The next start gets a full period's quota, as a new sandbox does: without the pause it would
    // begin in the period whose quota this process has just used.
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

// Memory after N invocations, one at a time as Lambda sends them; warm latency on the way.
remaining = 0;
const child = (await start()).go();
const warm = [];
let warmCpuFrom = 0;
for (let i = 0; i < invocations; i++) {
  const response = nextResponse();
  const t0 = process.hrtime.bigint();
  remaining = 1;
  parked.splice(0).forEach((serve) => serve());
  await response;
  warm.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (i === 0) {
    warmCpuFrom = cpuMs(child.pid);
  }
}
// The process's CPU per warm invocation, all threads: what a CPU share divides between invocations.
const warmCpuUs = invocations < 2 ? null : +((cpuMs(child.pid) - warmCpuFrom) * 1000 / (invocations - 1)).toFixed(0);
const mem = memory(child.pid);
await stop(child);

console.log(JSON.stringify({
  label,
  runs,
  coldStartMs: { median: +median(coldStarts).toFixed(1), min: +Math.min(...coldStarts).toFixed(1), max: +Math.max(...coldStarts).toFixed(1) },
  // CPU the process used up to its first response: what a CPU share stretches.
  coldStartCpuMs: { median: +median(coldCpu).toFixed(1), min: +Math.min(...coldCpu).toFixed(1) },
  invocations,
  // The first invocation of this process is a cold start: warm figures leave it out (none with --invocations 1).
  warmMs: warm.length < 2 ? null : { median: +median(warm.slice(1)).toFixed(2), p99: +warm.slice(1).sort((a, b) => a - b)[Math.floor((warm.length - 1) * 0.99)].toFixed(2) },
  warmCpuUs,
  afterInvocations: mem,
}));
upstream4.close(); upstream6.close(); runtime.close();
process.exit(0);
