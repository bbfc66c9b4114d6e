"use strict";
/**
 * The CLI's compiled copy of the package: every TypeScript file of index.ts, core/, components/,
 * providers/ and cli/ transpiled to CommonJS JavaScript, file by file, in a mirror of the source
 * tree under node_modules/.cache/clusterkit/<key>/ (other files are copied, so paths relative to
 * __dirname still hold). Why: under tsx's require hook every module load, ours and the 1,600 of
 * node_modules alike, goes through its resolver and loader, and tsx turns source maps on, so every
 * stack trace the Pulumi SDK captures per promise is mapped; together that was half of a plan's CPU.
 *
 * The key is the path, size and mtime of every source file, so an edited, added or removed file
 * means a new copy: the compiled tree is never stale. It is built by `npm ci` (the `prepare`
 * script) and, when missing or stale, by the first command run. The transpiler is esbuild, the one
 * tsx uses, with tsx's settings that change behaviour (CommonJS, keepNames).
 *
 * Plain JavaScript on purpose: it runs before anything can load TypeScript.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const sourceRoots = ["index.ts", "package.json", "tsconfig.json", "core", "components", "providers", "cli"];
const cacheDir = path.join(root, "node_modules", ".cache", "clusterkit");
/** Compiled trees of older sources are removed once this old: a long command may still be loading from one. */
const keepOldTreesMs = 60 * 60 * 1000;

/** Every file under the source roots, as paths relative to the package root, with its stat. */
function sourceFiles() {
  const files = [];
  const visit = (rel) => {
    const abs = path.join(root, rel);
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) if (name !== "node_modules") visit(path.join(rel, name));
    } else files.push({ rel, size: st.size, mtimeMs: st.mtimeMs });
  };
  for (const r of sourceRoots) visit(r);
  return files;
}

/** esbuild as tsx resolves it: tsx's own dependency, so the same transpiler and version tsx runs. */
function esbuildPath(request) {
  const tsxDir = path.dirname(require.resolve("tsx/package.json", { paths: [root] }));
  return require.resolve(request, { paths: [tsxDir] });
}

function treeKey(files, esbuildVersion) {
  const h = crypto.createHash("sha256").update(`esbuild ${esbuildVersion}\n`);
  for (const f of files) h.update(`${f.rel}\0${f.size}\0${f.mtimeMs}\n`);
  return h.digest("hex").slice(0, 16);
}

function isTypeScript(rel) {
  return rel.endsWith(".ts") && !rel.endsWith(".d.ts");
}

function build(files, esbuild, dir) {
  esbuild.buildSync({
    entryPoints: files.filter((f) => isTypeScript(f.rel)).map((f) => path.join(root, f.rel)),
    outdir: dir,
    outbase: root,
    bundle: false,
    platform: "node",
    format: "cjs",
    target: "node20.11",
    // Like tsx: class and function names survive (error names, constructor.name).
    keepNames: true,
    // Linked, not inline: Node reads a map only with --enable-source-maps (for an internal error's TypeScript lines).
    sourcemap: "linked",
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "silent",
  });
  for (const f of files) {
    if (isTypeScript(f.rel)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f.rel)), { recursive: true });
    fs.copyFileSync(path.join(root, f.rel), path.join(dir, f.rel));
  }
}

function removeOldTrees(current) {
  for (const name of fs.readdirSync(cacheDir)) {
    if (name === current) continue;
    const p = path.join(cacheDir, name);
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > keepOldTreesMs) fs.rmSync(p, { recursive: true, force: true });
  }
}

/**
 * The folder of the compiled tree for the current sources, building it if needed; null when it
 * cannot be had (no esbuild, a read-only node_modules, a file esbuild cannot parse): the caller
 * then runs the TypeScript through tsx, whose error, if any, is the one to show.
 */
function compiledTree() {
  try {
    // Only its version on the way to a built tree: loading esbuild itself is for building.
    const files = sourceFiles();
    const key = treeKey(files, require(esbuildPath("esbuild/package.json")).version);
    const dir = path.join(cacheDir, key);
    if (fs.existsSync(path.join(dir, ".complete"))) return dir;
    // Built aside and renamed into place: CLI processes started side by side (tests) may race.
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cacheDir, `${key}.tmp-`));
    try {
      build(files, require(esbuildPath("esbuild")), tmp);
      // Which sources this tree is of: the plan runs a project's own index.ts when it is another.
      fs.writeFileSync(path.join(tmp, ".source-root"), root);
      fs.writeFileSync(path.join(tmp, ".complete"), "");
      fs.renameSync(tmp, dir);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      // Another process renamed its copy first: that one is as good.
      if (!fs.existsSync(path.join(dir, ".complete"))) throw e;
    }
    removeOldTrees(key);
    return dir;
  } catch {
    return null;
  }
}

module.exports = { compiledTree };

// `node cli/compile.js` (the `prepare` script): build now, so the first command after `npm ci` is fast.
if (require.main === module) {
  const dir = compiledTree();
  if (!dir) {
    console.error("clusterkit: could not compile the CLI; it will run its TypeScript through tsx instead (slower)");
  }
}
