#!/usr/bin/env node
// One-command set-up: checks prerequisites and installs everything pitchstream needs into the
// project (npm packages, a Python venv, Kafka and Spark-connector jars, the tslab kernel, the
// compiled lib). Dependency-free on purpose: it runs before node_modules exists.
// Idempotent: every step leaves a stamp of its inputs and is skipped while they are unchanged.
'use strict';

const { spawnSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const HOME = path.join(ROOT, '.pitchstream');
const STAMPS = path.join(HOME, 'stamps');
const VENV = path.join(HOME, 'venv');
const JARS = path.join(HOME, 'jars');
const versions = JSON.parse(fs.readFileSync(path.join(ROOT, 'versions.json'), 'utf8'));

const quiet = process.argv.includes('--quiet');
// `npm test` only: the browser tests need Chromium, nothing else of pitchstream does.
const forTests = process.argv.includes('--tests');
const started = Date.now();

class SetupError extends Error {
  constructor(message, fix) {
    super(message);
    this.fix = fix;
  }
}

function log(line) {
  if (!quiet) process.stdout.write(`${line}\n`);
}

function elapsed(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function sha(value) {
  return crypto.createHash('sha256').update(value).digest('hex').slice(0, 16);
}

function fileHash(file) {
  return fs.existsSync(file) ? sha(fs.readFileSync(file)) : 'missing';
}

function readStamp(name) {
  const file = path.join(STAMPS, name);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function writeStamp(name, value) {
  fs.mkdirSync(STAMPS, { recursive: true });
  fs.writeFileSync(path.join(STAMPS, name), value);
}

/** Runs a command synchronously and returns its output; never throws. */
function probe(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return undefined;
  return `${result.stdout || ''}${result.stderr || ''}`;
}

/** Runs a long command with its output shown (so pip's and npm's progress reaches the user). */
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]/g;

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd || ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail = [];
    const keep = (chunk) => {
      // Maven prints bare colour resets (ESC[0m) even in batch mode: without them such a line is empty.
      for (const line of chunk.toString().replace(ANSI_ESCAPE, '').split('\n')) {
        if (line.trim() === '') continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (!quiet) process.stdout.write(`      ${line}\n`);
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) =>
      reject(new SetupError(`could not start ${command}: ${error.message}`, `install ${command} and put it on PATH`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new SetupError(
            `${command} ${args.join(' ')} exited with code ${code}:\n${tail.join('\n')}`,
            options.fix || 'read the output above; run `npm run setup` again once fixed',
          ),
        );
    });
  });
}

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

function pythonCommand() {
  return process.env.PITCHSTREAM_PYTHON || 'python3';
}

// ---------------------------------------------------------------------------------------------
// Steps

function checkPrerequisites() {
  const need = versions.prerequisites;
  const found = {};
  const problems = [];

  const node = process.versions.node;
  found.node = node;
  if (compareVersions(node, need.node) < 0)
    problems.push(`Node.js ${node} is too old (need >= ${need.node}): install Node.js 20.19+ or 22 LTS from nodejs.org or your package manager`);

  const py = probe(pythonCommand(), ['--version']);
  const pyVersion = py && /Python (\d+\.\d+\.\d+)/.exec(py);
  if (!pyVersion)
    problems.push(`Python 3 was not found (tried \`${pythonCommand()}\`): install Python >= ${need.python} (Debian/Ubuntu: apt-get install python3 python3-venv) or set PITCHSTREAM_PYTHON to its path`);
  else {
    found.python = pyVersion[1];
    if (compareVersions(pyVersion[1], need.python) < 0)
      problems.push(`Python ${pyVersion[1]} is too old (need >= ${need.python}): install a newer Python 3 or set PITCHSTREAM_PYTHON`);
    else if (spawnSync(pythonCommand(), ['-c', 'import venv, ensurepip']).status !== 0)
      problems.push(`Python's venv module is missing: install it (Debian/Ubuntu: apt-get install python3-venv)`);
  }

  const java = probe('java', ['-version']);
  const javaVersion = java && /version "(\d+)(?:\.(\d+))?/.exec(java);
  if (!javaVersion)
    problems.push(`Java was not found: install a JDK >= ${need.java} (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless) and put \`java\` on PATH or set JAVA_HOME`);
  else {
    const major = javaVersion[1] === '1' ? Number(javaVersion[2]) : Number(javaVersion[1]);
    found.java = String(major);
    if (major < Number(need.java))
      problems.push(`Java ${major} is too old (need >= ${need.java}; Spark 4 runs on Java 17 or 21): install openjdk-17`);
  }

  const mvn = probe('mvn', ['-v']);
  const mvnVersion = mvn && /Apache Maven ([\d.]+)/.exec(mvn);
  if (!mvnVersion)
    problems.push('Maven was not found (it fetches the Kafka and Spark-connector jars): install it (Debian/Ubuntu: apt-get install maven) and put `mvn` on PATH');
  else found.maven = mvnVersion[1];

  if (problems.length > 0)
    throw new SetupError(`missing prerequisites:\n  - ${problems.join('\n  - ')}`, 'install what is listed, then run `npm run setup` again');
  return Object.entries(found)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

async function installNodePackages() {
  const lock = path.join(ROOT, 'package-lock.json');
  const key = () => `${fileHash(path.join(ROOT, 'package.json'))}:${fileHash(lock)}`;
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (readStamp('npm') === key() && fs.existsSync(installed)) return 'up to date';
  // `npm install` rather than `npm ci`: it installs the locked versions too, and npm 11's ci
  // rejects lock files that omit optional platform packages a registry mirror does not serve.
  await run('npm', ['install', '--no-audit', '--no-fund'], {
    fix: 'check your access to the npm registry, then run `npm run setup` again',
  });
  writeStamp('npm', key());
  return 'installed the locked versions';
}

function venvPython() {
  return path.join(VENV, 'bin', 'python');
}

async function installPythonPackages() {
  const pins = Object.entries(versions.python).map(([name, version]) => `${name}==${version}`);
  const key = sha(`${probe(pythonCommand(), ['--version'])}|${pins.join(',')}`);
  if (readStamp('python') === key && fs.existsSync(venvPython())) return 'up to date';
  if (!fs.existsSync(venvPython())) {
    log(`      creating ${path.relative(ROOT, VENV)}`);
    await run(pythonCommand(), ['-m', 'venv', VENV], {
      fix: 'install the venv module (Debian/Ubuntu: apt-get install python3-venv) or set PITCHSTREAM_PYTHON',
    });
  }
  await run(venvPython(), ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', ...pins], {
    fix: 'check your access to PyPI (pip config list shows the index), then run `npm run setup` again',
  });
  writeStamp('python', key);
  return `installed ${pins.join(' ')}`;
}

function mavenSettings() {
  const file = path.join(HOME, 'maven', 'settings.xml');
  const repo = process.env.PITCHSTREAM_MAVEN_REPOSITORY || versions.mavenRepository;
  // A mirror of everything: the Spark poms name other repositories that may be unreachable.
  const xml = `<settings><mirrors><mirror><id>pitchstream-central</id><mirrorOf>*</mirrorOf><url>${repo}</url></mirror></mirrors></settings>\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, xml);
  return file;
}

function pom(artifact, dependencies) {
  const deps = dependencies
    .map(([g, a, v]) => `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`)
    .join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pitchstream.deps</groupId><artifactId>${artifact}</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`;
}

/** Resolves a set of Maven artifacts with their runtime dependencies into one folder of jars. */
async function resolveJars(name, dependencies, keepJar) {
  const target = path.join(JARS, name);
  const key = sha(JSON.stringify({ dependencies, repo: process.env.PITCHSTREAM_MAVEN_REPOSITORY || versions.mavenRepository }));
  if (readStamp(`jars-${name}`) === key && fs.existsSync(target)) return `${fs.readdirSync(target).length} jars, up to date`;
  const work = path.join(HOME, 'maven', name);
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, 'pom.xml'), pom(name, dependencies));
  const staging = `${target}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  await run(
    'mvn',
    ['-B', '-q', '-Dstyle.color=never', '-s', mavenSettings(), '-f', path.join(work, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`],
    { fix: 'check your access to Maven Central (or set PITCHSTREAM_MAVEN_REPOSITORY to a mirror), then run `npm run setup` again' },
  );
  for (const jar of fs.readdirSync(staging)) if (!keepJar(jar)) fs.rmSync(path.join(staging, jar));
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  writeStamp(`jars-${name}`, key);
  return `${fs.readdirSync(target).length} jars into ${path.relative(ROOT, target)}`;
}

function artifactName(jar) {
  return jar.replace(/-\d[\w.-]*\.jar$/, '');
}

async function installKafkaJars() {
  const { kafka, log4j } = versions;
  return resolveJars(
    `kafka-${kafka}`,
    [
      ['org.apache.kafka', 'kafka_2.13', kafka],
      // Kafka logs through slf4j 1.7; this binding sends it to log4j2 (configured per run).
      ['org.apache.logging.log4j', 'log4j-slf4j-impl', log4j],
    ],
    () => true,
  );
}

async function installSparkKafkaJars() {
  const sparkJars = path.join(sitePackages(), 'pyspark', 'jars');
  const shipped = new Set(fs.existsSync(sparkJars) ? fs.readdirSync(sparkJars).map(artifactName) : []);
  // Only what Spark does not ship already: two copies of scala or hadoop on the classpath break it.
  return resolveJars(
    `spark-kafka-${versions.spark}`,
    [['org.apache.spark', `spark-sql-kafka-0-10_${versions.scala}`, versions.spark]],
    (jar) => !shipped.has(artifactName(jar)),
  );
}

async function installRapidsJar() {
  // About 600 MB: fetched only for GPU mode (PITCHSTREAM_MODE=gpu), where lib expects it.
  if (process.env.PITCHSTREAM_MODE !== 'gpu') return 'skipped (cpu mode; set PITCHSTREAM_MODE=gpu to fetch it)';
  return resolveJars(
    `rapids-${versions.rapids}`,
    [['com.nvidia', `rapids-4-spark_${versions.scala}`, versions.rapids]],
    (jar) => jar.startsWith('rapids-4-spark'),
  );
}

function sitePackages() {
  const lib = path.join(VENV, 'lib');
  const py = fs.existsSync(lib) ? fs.readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  return path.join(lib, py || 'python3', 'site-packages');
}

async function installTslabKernel() {
  const tslab = path.join(ROOT, 'node_modules', '.bin', 'tslab');
  const kernelJson = path.join(VENV, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
  const key = sha(`${tslab}|${fileHash(path.join(ROOT, 'node_modules', 'tslab', 'package.json'))}`);
  if (readStamp('tslab') === key && fs.existsSync(kernelJson)) return 'up to date';
  // --sys-prefix: the kernel lives inside our venv, not in the user's global Jupyter.
  await run(tslab, ['install', '--python', venvPython(), '--binary', tslab, '--sys-prefix']);
  writeStamp('tslab', key);
  return `registered in ${path.relative(ROOT, path.dirname(kernelJson))}`;
}

function newestMtime(dir, ext) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, ext));
    else if (entry.name.endsWith(ext)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

async function buildLib() {
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'lib'), '.ts'),
    newestMtime(path.join(ROOT, 'bin'), '.ts'),
    fs.statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs,
    fs.statSync(path.join(ROOT, 'tsconfig.build.json')).mtimeMs,
  );
  const built = path.join(ROOT, 'dist', 'lib', 'index.js');
  if (fs.existsSync(built) && newestMtime(path.join(ROOT, 'dist'), '.js') >= sources) return 'up to date';
  await run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    fix: 'fix the TypeScript errors shown above (npm run typecheck), then run again',
  });
  return 'compiled lib/ and bin/ into dist/';
}

// ---------------------------------------------------------------------------------------------

/** One set-up at a time: a second `npm test` started meanwhile waits instead of racing pip. */
async function withLock(body) {
  fs.mkdirSync(HOME, { recursive: true });
  const lock = path.join(HOME, 'bootstrap.lock');
  const deadline = Date.now() + 20 * 60 * 1000;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const owner = Number(fs.readFileSync(lock, 'utf8'));
      let alive = false;
      try {
        process.kill(owner, 0);
        alive = owner !== process.pid;
      } catch {
        alive = false;
      }
      if (!alive) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new SetupError(`another set-up (pid ${owner}) holds ${lock} for too long`, `stop it or delete ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await body();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Python packages only the tests use (versions.json pythonTests), into the same venv. */
async function installPythonTestPackages() {
  const pins = Object.entries(versions.pythonTests).filter(([name]) => !name.startsWith('$')).map(([name, version]) => `${name}==${version}`);
  const key = sha(`${probe(pythonCommand(), ['--version'])}|${pins.join(',')}`);
  if (readStamp('python-tests') === key) return 'up to date';
  await run(venvPython(), ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', ...pins], {
    fix: 'check your access to PyPI (pip config list shows the index), then run `npm test` again',
  });
  writeStamp('python-tests', key);
  return `installed ${pins.join(' ')}`;
}

/**
 * Debian's Chromium for the browser tests (Playwright cannot download its own browsers here):
 * PITCHSTREAM_CHROMIUM names another one; as root with apt-get it is installed, else the fix is named.
 */
async function installChromium() {
  const wanted = process.env.PITCHSTREAM_CHROMIUM || '/usr/bin/chromium';
  const fix = "install Debian's chromium (`apt-get install chromium`) or set PITCHSTREAM_CHROMIUM to a Chromium or Chrome executable, then run `npm test` again";
  // Debian's wrapper script may print a shell warning before the version line.
  const version = () => ((probe(wanted, ['--version']) || '').match(/Chromium [\d.]+/) || ['Chromium'])[0];
  if (fs.existsSync(wanted)) return `${wanted} (${version()})`;
  if (process.env.PITCHSTREAM_CHROMIUM) throw new SetupError(`PITCHSTREAM_CHROMIUM=${wanted} does not exist`, fix);
  if (process.getuid?.() !== 0 || !probe('apt-get', ['--version'])) throw new SetupError('the browser tests need Chromium, and /usr/bin/chromium is not there', fix);
  const apt = (args) => run('apt-get', args, { env: { DEBIAN_FRONTEND: 'noninteractive' }, fix });
  const install = () => apt(['install', '-y', '--no-install-recommends', 'chromium']);
  // A machine whose package lists were never fetched knows no chromium yet.
  await install().catch(() => apt(['update']).then(install));
  return `installed ${version()} with apt-get`;
}

const STEPS = [
  ['Checking prerequisites', checkPrerequisites],
  ['npm packages', installNodePackages],
  ['Python venv + pinned packages', installPythonPackages],
  [`Kafka ${versions.kafka} broker jars`, installKafkaJars],
  [`Spark ${versions.spark} Kafka connector jars`, installSparkKafkaJars],
  [`RAPIDS Accelerator ${versions.rapids} jar`, installRapidsJar],
  ['tslab Jupyter kernel', installTslabKernel],
  ['TypeScript build', buildLib],
  ...(forTests
    ? [
        ['Python packages of the tests', installPythonTestPackages],
        ['Chromium for the browser tests', installChromium],
      ]
    : []),
];

async function main() {
  log(`pitchstream set-up (${path.relative(process.cwd(), HOME) || HOME})`);
  await withLock(async () => {
    for (const [index, [title, step]] of STEPS.entries()) {
      const t = Date.now();
      log(`[${index + 1}/${STEPS.length}] ${title} ...`);
      const what = await step();
      log(`      ok: ${what} (${elapsed(t)})`);
    }
  });
  log(`set-up complete in ${elapsed(started)}`);
}

main().catch((error) => {
  process.stderr.write(`\npitchstream set-up failed: ${error.message}\n`);
  if (error.fix) process.stderr.write(`fix: ${error.fix}\n`);
  process.exit(1);
});
