import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/** One source file and the repository-relative files it imports (packages left out). */
export interface SourceImports {
  readonly file: string;
  readonly imports: readonly string[];
}

/** A layering rule: files under `from` must not import files under any of `mayNotImport` (folders, or `dir/*`: see `under`). */
export interface LayerRule {
  readonly from: string;
  readonly mayNotImport: readonly string[];
  /** Files under `from` that the rule leaves alone (e.g. the layer's own entry). */
  readonly except?: readonly string[];
  readonly why: string;
}

const SOURCE = /\.(ts|cts|mts|js|cjs|mjs)$/;

/** Every source file under the given top-level folders, with the relative imports TypeScript finds in it. */
export function readImportGraph(root: string, folders: readonly string[]): SourceImports[] {
  const files = folders.flatMap((folder) => listSources(root, folder));
  return files.map((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, file), "utf8"), true, true);
    const imports = importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => path.relative(root, path.resolve(root, path.dirname(file), name)));
    return { file, imports };
  });
}

function listSources(root: string, folder: string): string[] {
  const entries = readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name) && !entry.parentPath.includes("node_modules"))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/**
 * Whether a file (with or without its extension) lies under a folder; `dir/*` means the files directly
 * in `dir`, not its subfolders.
 */
export function under(file: string, folder: string): boolean {
  const module = file.replace(SOURCE, "");
  if (folder.endsWith("/*")) return path.dirname(module) === folder.slice(0, -2);
  return module === folder || module.startsWith(`${folder}/`);
}

/** Each import that breaks a rule, as "file imports target (why)". */
export function layerViolations(graph: readonly SourceImports[], rules: readonly LayerRule[]): string[] {
  return rules.flatMap((rule) =>
    graph
      .filter(({ file }) => under(file, rule.from) && !(rule.except ?? []).some((exception) => under(file, exception)))
      .flatMap(({ file, imports }) =>
        imports.filter((target) => rule.mayNotImport.some((forbidden) => under(target, forbidden))).map((target) => `${file} imports ${target} (${rule.why})`),
      ),
  );
}
