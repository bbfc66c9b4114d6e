/**
 * The engine serialises each dynamic provider object with its closure and runs it in a separate
 * process, so the closures made here capture nothing but strings (where the implementation lives
 * and which export to call) and `require()` the implementation, with a TypeScript loader, inside
 * each call.
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** The repository root: relative paths from it still work in a checkout that has moved. */
const projectRoot = path.resolve(__dirname, "..");

/** A dynamic resource's arguments: each input may be a Pulumi Input. */
export type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** A dynamic provider that calls `require(runtime)[kind]`, with runtime given without its extension. */
export function lazyDynamicProvider(kind: string, runtime: string): pulumi.dynamic.ResourceProvider {
  const absolute = runtime;
  const relative = path.relative(projectRoot, runtime);
  const load = () => {
    // The provider process runs plain node: teach it TypeScript first (a no-op when already loaded).
    const fs = require("fs") as typeof import("fs");
    const candidates = [absolute, require("path").resolve(process.cwd(), relative)];
    const found = candidates.find((c) => fs.existsSync(`${c}.ts`) || fs.existsSync(`${c}.js`)) ?? absolute;
    require(require.resolve("tsx/cjs", { paths: [found, process.cwd()] }));
    return require(found)[kind];
  };
  // The SDK's provider process prints `${e}: ${e.stack}` for a failed diff, read or delete, and the
  // engine shows it: our errors are messages for the user and reach it without a stack trace.
  const run = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      if (e instanceof Error && e.name === "ClusterkitError") e.stack = "";
      throw e;
    }
  };
  return {
    create: (inputs) => run(() => load().create(inputs)),
    read: (id, props) => run(() => load().read(id, props)),
    diff: (id, olds, news) => run(() => load().diff(id, olds, news)),
    update: (id, olds, news) => run(() => load().update(id, olds, news)),
    delete: (id, props) => run(() => load().delete(id, props)),
  };
}
