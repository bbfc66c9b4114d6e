/** YAML output shared by the kubeadm renderers: stable, no anchors, no line folding. */
import { stringify } from "yaml";

/** One YAML document. Reused sub-objects are written out in full: kubeadm rejects anchors it did not expect. */
export function toYaml(doc: object): string {
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Several documents in one file, as `kubeadm --config` reads them. */
export function toYamlDocs(docs: object[]): string {
  return docs.map(toYaml).join("---\n");
}
