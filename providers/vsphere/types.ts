// `vsphere.types.input.X` / `vsphere.types.output.X`, as in `@pulumi/vsphere` (sdk/nodejs/types/index.ts).
import * as input from "./input";
import * as output from "./output";

export { input, output };
