import * as path from "node:path";

/**
 * The source-tree folder of a sandbox module: its own folder when it runs from source, the
 * matching folder outside dist/ when it runs compiled. The sandbox's non-TypeScript files (the
 * moto server, the plugin's launcher) live only in the source tree.
 */
export function sourceDirOf(dir: string): string {
  const compiled = `${path.sep}dist${path.sep}sandbox`;
  const at = dir.lastIndexOf(compiled);
  return at < 0 ? dir : `${dir.slice(0, at) + path.sep}sandbox${dir.slice(at + compiled.length)}`;
}
