#!/usr/bin/env node
// Checks that every relative link and #anchor in the project's Markdown resolves: the target file or
// folder exists, and an anchor matches a heading of the target page by GitHub's slug rules. External
// links (https:, mailto:, …) are not fetched. Prints the broken links and exits 1 when there is one.
//
// Usage: node scripts/check-links.mjs [file.md ...]
//   Without arguments: README.md, CHANGELOG.md, docs/*.md, src/*/README.md, bench/README.md.
//   scripts/check-links.pending lists pages that are expected but not written yet (one path from the
//   repository root per line, # comments allowed): links to them are reported as pending, not broken.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function defaultFiles() {
  const files = ['README.md', 'CHANGELOG.md', 'bench/README.md'];
  const list = (dir, pick) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter(pick).sort().map((name) => `${dir}/${name}`) : [];
  files.push(...list('docs', (name) => name.endsWith('.md')));
  for (const project of list('src', (name) => statSync(join(root, 'src', name)).isDirectory())) {
    files.push(`${project}/README.md`);
  }
  return files.filter((file) => existsSync(join(root, file)));
}

function readPending() {
  const path = join(root, 'scripts', 'check-links.pending');
  if (!existsSync(path)) {
    return new Set();
  }
  return new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean)
      .map((line) => resolve(root, line)),
  );
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text) {
  const lines = text.split(/\r?\n/);
  const result = [];
  let fence = null;
  lines.forEach((line, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (closing && closing[1][0] === fence[0] && closing[1].length >= fence.length) {
        fence = null;
      }
      return;
    }
    if (marker) {
      fence = marker[1];
      return;
    }
    result.push({ line, number: index + 1 });
  });
  return result;
}

/** The text a heading renders to: inline markup removed, as GitHub's slugger sees it. */
function headingText(raw) {
  return raw
    .replace(/\s+#+\s*$/, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .trim();
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

const anchorCache = new Map();

/** Every anchor a Markdown page defines: headings (with GitHub's -1, -2 suffixes) and explicit ids. */
function anchorsOf(path) {
  if (anchorCache.has(path)) {
    return anchorCache.get(path);
  }
  const anchors = new Set();
  const seen = new Map();
  const add = (base) => {
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  };
  const lines = proseLines(readFileSync(path, 'utf8'));
  lines.forEach(({ line }, i) => {
    const atx = /^ {0,3}#{1,6}\s+(.*)$/.exec(line);
    if (atx) {
      add(slug(headingText(atx[1])));
    } else if (i + 1 < lines.length && line.trim() && /^ {0,3}(=+|-+)\s*$/.test(lines[i + 1].line)
      && lines[i + 1].number === lines[i].number + 1 && !/^\s*([-*+]|\d+\.)\s/.test(line) && !line.includes('|')) {
      add(slug(headingText(line)));
    }
    for (const match of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) {
      anchors.add(match[1]);
    }
  });
  anchorCache.set(path, anchors);
  return anchors;
}

/** Link targets on a line: inline links and images, and reference definitions. Code spans are skipped. */
function targetsOf(line) {
  const text = line.replace(/`+[^`]*`+/g, (span) => ' '.repeat(span.length));
  const targets = [];
  for (const match of text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
    targets.push(match[1].replace(/^<|>$/g, ''));
  }
  const definition = /^ {0,3}\[[^\]]+\]:\s*(\S+)/.exec(text);
  if (definition) {
    targets.push(definition[1].replace(/^<|>$/g, ''));
  }
  return targets;
}

function check(files, pending) {
  const broken = [];
  const waiting = [];
  let count = 0;
  for (const file of files) {
    const path = resolve(root, file);
    for (const { line, number } of proseLines(readFileSync(path, 'utf8'))) {
      for (const target of targetsOf(line)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) {
          continue;
        }
        count++;
        const where = `${file}:${number}`;
        const hash = target.indexOf('#');
        const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
        const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
        const resolved = pathPart === '' ? path : resolve(dirname(path), pathPart);
        if (!resolved.startsWith(root + sep) && resolved !== root) {
          broken.push(`${where}: ${target} (outside the repository)`);
          continue;
        }
        if (!existsSync(resolved)) {
          (pending.has(resolved) ? waiting : broken).push(`${where}: ${target}${pending.has(resolved) ? '' : ' (no such file)'}`);
          continue;
        }
        if (anchor !== null && anchor !== '' && resolved.endsWith('.md') && statSync(resolved).isFile()
          && !anchorsOf(resolved).has(anchor)) {
          broken.push(`${where}: ${target} (no heading #${anchor} in ${relative(root, resolved)})`);
        }
      }
    }
  }
  return { broken, waiting, count };
}

const files = process.argv.length > 2 ? process.argv.slice(2) : defaultFiles();
const { broken, waiting, count } = check(files, readPending());
for (const item of waiting) {
  console.log(`pending: ${item}`);
}
for (const item of broken) {
  console.log(`broken: ${item}`);
}
console.log(`check-links: ${count} links in ${files.length} files, ${broken.length} broken, ${waiting.length} to pending pages`);
process.exit(broken.length === 0 ? 0 : 1);
