#!/usr/bin/env node
'use strict';
/**
 * Turns the output of `nest build session` (dist/libs/session) into a publishable npm package, and
 * refuses to when the package would be wrong. Run by `npm run build`; then `npm pack dist/libs/session`.
 *
 * Writes dist/libs/session/package.json from libs/session/package.json and copies
 * libs/session/README.md and the root LICENSE next to it. Checks, failing the build on any breach:
 * - every built file comes from a non-spec source in libs/session/src: no app code, no test helper,
 *   no stale output of a deleted source;
 * - every runtime `require()` is a Node built-in, a file inside the package, or a declared peer or
 *   dependency (an unrewritten `@app/session` path alias would break every consumer);
 * - each peer dependency range accepts the version this repository installs and tests against;
 * - the root entry never loads an optional peer, however deep the require chain (an app without
 *   TypeORM, ioredis or passport must be able to load it);
 * - `main`, `types` and `exports` point at files that exist;
 * - the README has no relative links (they break on the registry) and the source maps carry their
 *   sources (the .ts files are not shipped).
 */
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const semver = require('semver');

const root = path.resolve(__dirname, '..');
const libDir = path.join(root, 'libs', 'session');
const srcDir = path.join(libDir, 'src');
const outDir = path.join(root, 'dist', 'libs', 'session');
/** Files this script writes; anything else in outDir must be compiler output. */
const GENERATED = new Set(['package.json', 'README.md', 'LICENSE']);
const COMPILED = /(\.d\.ts|\.js\.map|\.js)$/;

const problems = [];
const notes = [];
const rel = (file) => path.relative(root, file);

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read ${rel(file)}: ${error.message}`);
  }
}

function fail(message) {
  console.error(`prepare-lib-package: ${message}`);
  process.exit(1);
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** 'node:fs' → null (built-in), '@scope/pkg/sub' → '@scope/pkg', 'pkg/sub' → 'pkg'. */
function packageNameOf(specifier) {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) {
    return null;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function installedVersion(name) {
  const file = path.join(root, 'node_modules', name, 'package.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : undefined;
}

/** Every package a module loads at run time, directly or through files of the package: name → chain. */
function requireGraph(entry) {
  const seen = new Set();
  const packages = new Map();
  const visit = (file, chain) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8');
    for (const found of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
      const specifier = found[1];
      // `await import(x)` compiles to `Promise.resolve().then(() => __importStar(require(x)))`:
      // loaded only when that code runs, not when the module is.
      if (
        /\.then\(\(\) => (__importStar\()?$/.test(
          code.slice(Math.max(0, found.index - 40), found.index),
        )
      ) {
        continue;
      }
      const here = [...chain, path.relative(outDir, file)];
      if (specifier.startsWith('.')) {
        const base = path.resolve(path.dirname(file), specifier);
        const next = [base, `${base}.js`, path.join(base, 'index.js')].find(
          (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
        );
        if (next) visit(next, here);
        continue;
      }
      const pkg = packageNameOf(specifier);
      if (pkg !== null && !packages.has(pkg)) packages.set(pkg, [...here, specifier]);
    }
  };
  visit(entry, []);
  return packages;
}

function resolvesInside(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, `${base}.js`, path.join(base, 'index.js')];
  const hit = candidates.find((file) => fs.existsSync(file) && fs.statSync(file).isFile());
  return hit !== undefined && !path.relative(outDir, hit).startsWith('..');
}

const manifest = readJson(path.join(libDir, 'package.json'));
const rootManifest = readJson(path.join(root, 'package.json'));

if (!fs.existsSync(path.join(outDir, 'index.js'))) {
  fail(`${rel(outDir)}/index.js is missing: run \`nest build session\` first.`);
}

// Peer ranges must accept what the repository itself installs and tests.
const peers = manifest.peerDependencies ?? {};
for (const [name, range] of Object.entries(peers)) {
  const installed = installedVersion(name);
  if (installed === undefined) {
    problems.push(`peer ${name} is not installed in the repository, so nothing tests it`);
  } else if (!semver.satisfies(installed, range)) {
    problems.push(`peer ${name} is "${range}", which the tested ${installed} does not satisfy`);
  }
}
const optionalPeers = new Set(
  Object.entries(manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional)
    .map(([name]) => name),
);
const declared = new Set([
  ...Object.keys(peers),
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.optionalDependencies ?? {}),
]);

const typeOnlyPackages = new Set();
const files = walk(outDir).filter((file) => !GENERATED.has(path.relative(outDir, file)));
let modules = 0;
for (const file of files) {
  const name = path.relative(outDir, file);
  const match = COMPILED.exec(name);
  if (!match) {
    problems.push(`unexpected file ${name} (not compiler output)`);
    continue;
  }
  const source = path.join(srcDir, `${name.slice(0, -match[1].length)}.ts`);
  if (/\.spec$|\.e2e-spec$/.test(source.slice(0, -3)) || !fs.existsSync(source)) {
    problems.push(
      `${name} has no source in ${rel(srcDir)} (app code, a spec or stale output: ` +
        `delete ${rel(outDir)} and rebuild)`,
    );
    continue;
  }
  const code = fs.readFileSync(file, 'utf8');
  if (match[1] === '.js') {
    modules += 1;
    for (const [, specifier] of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
      if (specifier.startsWith('.')) {
        if (!resolvesInside(file, specifier)) {
          problems.push(`${name} requires "${specifier}", which is not a file of the package`);
        }
        continue;
      }
      const pkg = packageNameOf(specifier);
      if (pkg !== null && !declared.has(pkg)) {
        problems.push(
          `${name} requires "${specifier}", which is neither a Node built-in nor a declared ` +
            `peer or dependency${specifier.startsWith('@app/') ? ' (an unrewritten path alias)' : ''}`,
        );
      }
    }
  } else if (match[1] === '.d.ts') {
    for (const [, specifier] of code.matchAll(/(?:\bfrom\s+|\bimport\(\s*)["']([^"']+)["']/g)) {
      if (specifier.startsWith('.')) continue;
      if (specifier.startsWith('@app/')) {
        problems.push(`${name} references the path alias "${specifier}"`);
        continue;
      }
      const pkg = packageNameOf(specifier);
      if (pkg !== null && !declared.has(pkg)) typeOnlyPackages.add(pkg);
    }
  }
}

// The root entry must load without any optional peer installed.
const rootRequires = requireGraph(path.join(outDir, 'index.js'));
for (const [pkg, chain] of rootRequires) {
  if (optionalPeers.has(pkg)) {
    problems.push(`the root entry loads the optional peer ${pkg}: ${chain.join(' -> ')}`);
  }
}

const readme = fs.readFileSync(path.join(libDir, 'README.md'), 'utf8');
for (const [, target] of readme.matchAll(/\]\((?!https?:|#|mailto:)([^)]+)\)/g)) {
  problems.push(
    `libs/session/README.md links to "${target}", which cannot resolve on the registry`,
  );
}
for (const map of files.filter((file) => file.endsWith('.js.map'))) {
  const { sources, sourcesContent } = JSON.parse(fs.readFileSync(map, 'utf8'));
  if (!Array.isArray(sourcesContent) || sourcesContent.length !== sources.length) {
    problems.push(`${path.relative(outDir, map)} does not carry its sources (inlineSources)`);
  }
}

for (const field of ['main', 'types']) {
  if (typeof manifest[field] !== 'string') {
    problems.push(`libs/session/package.json has no "${field}"`);
  } else if (!fs.existsSync(path.join(outDir, manifest[field]))) {
    problems.push(`"${field}" points at ${manifest[field]}, which was not built`);
  }
}
const exportTargets = JSON.stringify(manifest.exports ?? {}).match(/"\.\/[^"]+"/g) ?? [];
for (const target of exportTargets.map((quoted) => JSON.parse(quoted))) {
  if (!GENERATED.has(target.slice(2)) && !fs.existsSync(path.join(outDir, target))) {
    problems.push(`"exports" points at ${target}, which was not built`);
  }
}

if (typeOnlyPackages.size > 0) {
  notes.push(
    `typings reference ${[...typeOnlyPackages].join(', ')} (type-only imports; consumers need ` +
      `their types installed, e.g. @types/express for express)`,
  );
}

if (problems.length > 0) {
  console.error(`prepare-lib-package: ${rel(outDir)} is not publishable:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}

fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
fs.copyFileSync(path.join(libDir, 'README.md'), path.join(outDir, 'README.md'));
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(outDir, 'LICENSE'));

for (const note of notes) console.log(`prepare-lib-package: note: ${note}`);
console.log(
  `prepare-lib-package: ${rel(outDir)} is ${manifest.name}@${manifest.version} ` +
    `(${modules} modules, no app code); publish with \`npm pack ${rel(outDir)}\``,
);
