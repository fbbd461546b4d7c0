#!/usr/bin/env node
// npm run bench -- <name> [args...]: runs bench/<name>.ts under ts-node and exits with its code.
// Without a name, lists the benchmarks.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const benchDir = __dirname;
const root = resolve(benchDir, '..');

function benchmarks() {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

/** The first sentence of the file's leading doc comment, as a one-line description. */
function summary(name) {
  const match = readFileSync(join(benchDir, `${name}.ts`), 'utf8').match(/^\s*\/\*\*([\s\S]*?)\*\//);
  if (!match) return '';
  const text = match[1].replace(/^\s*\*\s?/gm, ' ').replace(/\s+/g, ' ').trim();
  const end = text.search(/[.:](\s|$)/);
  return end === -1 ? text : text.slice(0, end);
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  const names = benchmarks();
  console.log('Usage: npm run bench -- <name> [args...]\n');
  console.log(names.length > 0 ? 'Benchmarks:' : 'No benchmarks in bench/.');
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const n of names) console.log(`  ${n.padEnd(width)}  ${summary(n)}`);
  process.exit(0);
}

const file = join(benchDir, `${name.replace(/\.ts$/, '')}.ts`);
if (!existsSync(file)) {
  console.error(`No benchmark "${name}" (looked for ${file}). Available: ${benchmarks().join(', ') || 'none'}`);
  process.exit(2);
}

const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', file, ...args], { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(result.error.message);
  process.exit(1);
}
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? 1);
