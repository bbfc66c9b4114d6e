/**
 * Writes a cloned stack file from the source's text with the `yaml` Document API, so comments,
 * key order and flow style survive. Secrets (`secure:` values) and the per-stack encryption keys
 * are dropped, never copied: they are encrypted for the source stack alone.
 */
import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node, type YAMLMap } from "yaml";
import { replaceRegion, type Rewrite } from "./clone-values";

export interface StackFileRewrite {
  from: { stack: string; region: string };
  to: { stack: string; region: string };
  variables: Record<string, unknown>;
  clonedFrom: { stack: string; blueprintSha256: string };
}

export interface RewrittenStackFile {
  text: string;
  /** Config keys whose `secure:` values were dropped. */
  droppedSecrets: string[];
  /** The source's `secretsprovider`, which the new stack must be initialised with (or another). */
  secretsProvider: string | null;
  /** Plain values outside the variables that named the old region. */
  rewrites: Rewrite[];
  /** Overrides that mention the old region: copied as they are, but worth a look. */
  regionMentions: string[];
}

function isSecure(node: unknown): boolean {
  return isMap(node) && node.items.length === 1 && isScalar(node.items[0].key) && node.items[0].key.value === "secure";
}

function sameValue(node: unknown, value: unknown): boolean {
  const js = node && typeof node === "object" && "toJSON" in node ? (node as Node).toJSON() : node;
  return JSON.stringify(js) === JSON.stringify(value);
}

function setVariables(doc: Document, vars: YAMLMap, next: Record<string, unknown>): void {
  for (const item of [...vars.items]) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    if (!(key in next)) vars.delete(key);
  }
  for (const [name, value] of Object.entries(next)) {
    const old = vars.get(name, true) as Node | undefined;
    if (old !== undefined && sameValue(old, value)) continue;
    const node = doc.createNode(value);
    // Keep `azs: [a, b, c]` on one line when the source wrote it so.
    if ((isSeq(old) || isMap(old)) && old.flow && (isSeq(node) || isMap(node))) node.flow = true;
    vars.set(name, node);
  }
}

function mentions(value: unknown, region: string): boolean {
  return JSON.stringify(value ?? null).toLowerCase().includes(region.toLowerCase());
}

function rewriteComments(doc: Document, fix: (s: string) => string): void {
  const apply = (n: { commentBefore?: string | null; comment?: string | null }) => {
    if (n.commentBefore) n.commentBefore = fix(n.commentBefore);
    if (n.comment) n.comment = fix(n.comment);
  };
  apply(doc);
  visit(doc, (_key, node) => {
    if (node && typeof node === "object") apply(node as { commentBefore?: string | null; comment?: string | null });
  });
}

export function rewriteStackFile(sourceText: string, r: StackFileRewrite): RewrittenStackFile {
  const doc = parseDocument(sourceText);
  const provider = doc.get("secretsprovider");
  for (const key of ["secretsprovider", "encryptedkey", "encryptionsalt"]) doc.delete(key);
  const config = doc.get("config", true) as YAMLMap;
  const droppedSecrets: string[] = [];
  const rewrites: Rewrite[] = [];
  const regionMentions: string[] = [];
  for (const item of [...config.items]) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    if (isSecure(item.value)) {
      config.delete(key);
      droppedSecrets.push(key);
    } else if (key === "clusterkit:region") {
      config.set(key, r.to.region);
    } else if (key === "clusterkit:variables") {
      setVariables(doc, item.value as YAMLMap, r.variables);
    } else if (key === "clusterkit:clusterName" && isScalar(item.value)) {
      // Two clusters with one name would share tags and vSphere folders: a name that does not
      // carry the region goes, and the new cluster takes its stack's name (the default).
      const old = String(item.value.value);
      const next = replaceRegion(old, r.from.region, r.to.region);
      if (next === old) config.delete(key);
      else item.value.value = next;
      rewrites.push({ path: `config.${key}`, from: old, to: next === old ? r.to.stack : next });
    } else if (key === "clusterkit:overrides") {
      if (mentions((item.value as Node | null)?.toJSON?.(), r.from.region)) regionMentions.push(`config.${key}`);
    } else if (isScalar(item.value) && typeof item.value.value === "string") {
      const next = replaceRegion(item.value.value, r.from.region, r.to.region);
      if (next !== item.value.value) {
        rewrites.push({ path: `config.${key}`, from: item.value.value, to: next });
        item.value.value = next;
      }
    } else if (key !== "clusterkit:clonedFrom" && mentions((item.value as Node | null)?.toJSON?.(), r.from.region)) {
      regionMentions.push(`config.${key}`);
    }
  }
  if (!config.has("clusterkit:variables")) config.set("clusterkit:variables", doc.createNode(r.variables));
  config.set("clusterkit:clonedFrom", doc.createNode(r.clonedFrom));

  const fromStack = new RegExp(`(?<![A-Za-z0-9_.-])${r.from.stack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9_-])`, "g");
  rewriteComments(doc, (s) => replaceRegion(s.replace(fromStack, r.to.stack), r.from.region, r.to.region));
  const first = (doc.contents as YAMLMap).items[0];
  const note = ` Cloned from stack ${r.from.stack} with \`clusterkit clone-region\`; \`clusterkit validate --stack ${r.to.stack}\` lists anything left to fill in.`;
  if (first && isScalar(first.key)) first.key.commentBefore = first.key.commentBefore ? `${note}\n${first.key.commentBefore}` : note;
  else doc.commentBefore = doc.commentBefore ? `${note}\n${doc.commentBefore}` : note;
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), droppedSecrets, secretsProvider: typeof provider === "string" ? provider : null, rewrites, regionMentions };
}
