/**
 * Imported for its effect, before anything loads the Pulumi SDK: the SDK loads two things eagerly
 * that the offline plan never uses. Its index loads the Automation API (`pulumi.automation`), and
 * its runtime loads @npmcli/arborist (and with it pacote, sigstore, cacache…) for computing the
 * code paths of serialised lambdas: about 520 modules and half a second of CPU together. Every
 * provider package (@pulumi/kubernetes, @pulumi/random, @pulumi/tls) requires the SDK's index, so
 * importing SDK subpaths in our own code cannot avoid them. Instead each one's slot in the require
 * cache gets a module whose exports load the real module on first use, so `pulumi.automation`,
 * `require("@pulumi/pulumi/automation")` and `computeCodePaths` still work, only later.
 */
import Module from "node:module";
import * as path from "node:path";

/** Puts a lazy stand-in for the module file `file` in the require cache. */
function defer(file: string): void {
  // Already loaded (a test process that ran the SDK before): nothing left to save.
  if (require.cache[file]) return;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      delete require.cache[file];
      real = require(file) as object;
    }
    return real;
  };
  const lazy = new Module(file, module);
  lazy.filename = file;
  lazy.loaded = true;
  lazy.exports = new Proxy(
    {},
    {
      // The SDK asks only this (its __importStar) when it loads; anything else is a real use.
      get: (_t, key) => (key === "__esModule" ? true : Reflect.get(load(), key)),
      has: (_t, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
  require.cache[file] = lazy;
}

defer(require.resolve("@pulumi/pulumi/automation"));
// As the SDK's runtime/closure/codePaths.js resolves it.
defer(require.resolve("@npmcli/arborist", { paths: [path.dirname(require.resolve("@pulumi/pulumi/runtime/closure/codePaths"))] }));
