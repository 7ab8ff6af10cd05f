import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import type { Argument, Command, Option } from "commander";
import { buildProgram } from "../../automation/cli/program";
import { ROTATE_ACTIONS } from "../../automation/commands/choices";
import { REPO_ROOT } from "../../automation/projectPaths";

/** A markdown file of the documentation: its path from the repository root and its text. */
interface Doc {
  readonly file: string;
  readonly text: string;
}

/** A piece of a document with the line it starts on: a prose block, or one line of a fenced block. */
interface Block {
  readonly line: number;
  readonly text: string;
  readonly fenced: boolean;
  /** A fenced line of a shell session or captured run (no language, sh, bash, console): commands, not prose. */
  readonly shell: boolean;
}

/** What the documentation is checked against: the files on disk, package.json's scripts, the CLI. */
interface Truth {
  readonly exists: (absolutePath: string) => boolean;
  readonly scripts: ReadonlySet<string>;
  readonly program: Command;
}

function readDocs(): Doc[] {
  const files = [
    "README.md",
    ...readdirSync(path.join(REPO_ROOT, "docs"))
      .filter((name) => name.endsWith(".md"))
      .sort()
      .map((name) => `docs/${name}`),
  ];
  return files.map((file) => ({ file, text: readFileSync(path.join(REPO_ROOT, file), "utf8") }));
}

function realTruth(): Truth {
  const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  return { exists: existsSync, scripts: new Set(Object.keys(packageJson.scripts)), program: buildProgram(new AbortController().signal) };
}

/** Prose blocks (paragraphs, list items, table rows, headings) and the lines of fenced code blocks. */
function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let fence: string | undefined;
  let shell = false;
  let prose: { line: number; lines: string[] } | undefined;
  const endProse = () => {
    if (prose) blocks.push({ line: prose.line, text: prose.lines.join("\n"), fenced: false, shell: false });
    prose = undefined;
  };
  text.split("\n").forEach((content, index) => {
    const line = index + 1;
    const [, marker, info = ""] = /^ {0,3}(`{3,}|~{3,})\s*(\S*)/.exec(content) ?? [];
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      else blocks.push({ line, text: content, fenced: true, shell });
      return;
    }
    if (marker) {
      endProse();
      fence = marker;
      shell = ["", "sh", "bash", "shell", "console", "zsh"].includes(info.toLowerCase());
      return;
    }
    // A code span never crosses a table row, a heading or a list item: each starts a block of its own.
    if (content.trim() === "" || /^\s*(\||#{1,6}\s|[-*]\s|\d+\.\s)/.test(content)) endProse();
    if (content.trim() === "") return;
    if (prose) prose.lines.push(content);
    else prose = { line, lines: [content] };
  });
  endProse();
  return blocks;
}

/** Inline code spans by CommonMark's rule: a run of n backticks closes at the next run of exactly n. */
function codeSpans(text: string): { start: number; end: number; content: string }[] {
  const runs = [...text.matchAll(/`+/g)];
  const spans: { start: number; end: number; content: string }[] = [];
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i]!;
    const closeAt = runs.findIndex((run, j) => j > i && run[0].length === open[0].length);
    if (closeAt < 0) continue;
    const close = runs[closeAt]!;
    spans.push({ start: open.index, end: close.index + close[0].length, content: text.slice(open.index + open[0].length, close.index) });
    i = closeAt;
  }
  return spans;
}

/** The text with its code spans blanked out (same length and line breaks), for finding links. */
function withoutCodeSpans(text: string): string {
  let result = text;
  for (const span of codeSpans(text)) result = result.slice(0, span.start) + text.slice(span.start, span.end).replace(/[^\n]/g, " ") + result.slice(span.end);
  return result;
}

const lineAt = (block: Block, offset: number) => block.line + (block.text.slice(0, offset).match(/\n/g)?.length ?? 0);

/** GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces made hyphens. */
function githubSlug(heading: string): string {
  const text = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*]/g, "");
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a document's headings, numbered as GitHub numbers repeats (`x`, `x-1`, `x-2`). */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const block of blocksOf(text)) {
    const heading = block.fenced ? undefined : /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(block.text)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every relative link of a document, with its line: inline links, images and reference definitions. */
function linksOf(doc: Doc): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  for (const block of blocksOf(doc.text).filter((candidate) => !candidate.fenced)) {
    const prose = withoutCodeSpans(block.text);
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
      const target = match[1] ?? match[2] ?? "";
      if (!/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(target)) links.push({ line: lineAt(block, match.index), target });
    }
  }
  return links;
}

function linkProblems(docs: readonly Doc[], truth: Truth): string[] {
  const exists = (absolute: string) => docs.some((doc) => path.join(REPO_ROOT, doc.file) === absolute) || truth.exists(absolute);
  const anchorsByFile = new Map(docs.map((doc) => [path.join(REPO_ROOT, doc.file), anchorsOf(doc.text)]));
  const anchorsOfFile = (absolute: string) => {
    if (!anchorsByFile.has(absolute)) anchorsByFile.set(absolute, anchorsOf(readFileSync(absolute, "utf8")));
    return anchorsByFile.get(absolute)!;
  };
  const problems: string[] = [];
  for (const doc of docs) {
    for (const { line, target } of linksOf(doc)) {
      const [file = "", anchor] = decodeURI(target).split("#");
      const absolute = file === "" ? path.join(REPO_ROOT, doc.file) : path.resolve(REPO_ROOT, path.dirname(doc.file), file);
      const shown = path.relative(REPO_ROOT, absolute);
      if (target === "") problems.push(`${doc.file}:${line}: a link with no target`);
      else if (shown.startsWith("..")) problems.push(`${doc.file}:${line}: link ${target} leaves the repository`);
      else if (!exists(absolute)) problems.push(`${doc.file}:${line}: link ${target}: ${shown} does not exist`);
      else if (anchor !== undefined && absolute.endsWith(".md") && !anchorsOfFile(absolute).has(anchor)) {
        problems.push(`${doc.file}:${line}: link ${target}: ${shown} has no heading with the anchor #${anchor}`);
      }
    }
  }
  return problems;
}

/** An `npm run` or `npm test` found in a document: the script, what follows it, and where. */
interface Invocation {
  readonly file: string;
  readonly line: number;
  /** The whole line it starts on, where a refusal of it may be documented. */
  readonly lineText: string;
  readonly script: string;
  readonly args: readonly string[];
}

/** Where a command on a shell line ends: a pipe, a redirection, a separator, a comment or the code span. */
const SHELL_END = /^(\||\|\||&|&&|;|#.*|\d?>.*|<|`)$/;
const TOKEN = /\s*(<[^\s<>`][^<>`]*>|`|[^\s`]+)/y;

/** The tokens after `from`, up to where the command ends; placeholders like `<file outside git>` stay one token. */
function shellTokens(text: string, from: number): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = from;
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const token = match[1]!;
    if (SHELL_END.test(token)) break;
    const closesSubshell = /[);]$/.test(token) && !token.startsWith("<");
    tokens.push(token.replace(/[);]+$/, "").replace(/\\\|/g, "|"));
    if (closesSubshell) break;
  }
  return tokens;
}

function invocationsIn(doc: Doc): Invocation[] {
  const lines = doc.text.split("\n");
  const found: Invocation[] = [];
  const scan = (text: string, lineOf: (offset: number) => number) => {
    for (const match of text.matchAll(/\bnpm\s+(run(?:-script)?|test)\b/g)) {
      const tokens = shellTokens(text, match.index + match[0].length);
      const line = lineOf(match.index);
      const lineText = lines[line - 1] ?? "";
      if (match[1] === "test") {
        found.push({ file: doc.file, line, lineText, script: "test", args: [] });
        continue;
      }
      const scriptAt = tokens.findIndex((token) => !token.startsWith("-"));
      if (scriptAt >= 0) found.push({ file: doc.file, line, lineText, script: tokens[scriptAt]!, args: tokens.slice(scriptAt + 1) });
    }
  };
  for (const block of blocksOf(doc.text)) {
    if (block.shell) {
      scan(block.text, () => block.line);
      continue;
    }
    if (!block.fenced) for (const span of codeSpans(block.text)) scan(span.content, (offset) => lineAt(block, span.start + offset));
    // Outside code (and in a text block) only the script's name counts: the words after it are the sentence's.
    for (const match of (block.fenced ? block.text : withoutCodeSpans(block.text)).matchAll(/\bnpm\s+run\s+([\w:.-]+)/g)) {
      found.push({ file: doc.file, line: lineAt(block, match.index), lineText: lines[lineAt(block, match.index) - 1] ?? "", script: match[1]!, args: [] });
    }
  }
  return found;
}

/** A usage placeholder rather than a literal word: `<stack>`, `FILE`, `...`, `AKIA...`. */
const isPlaceholder = (token: string) => /^<.*>$/.test(token) || /^[A-Z][A-Z_-]*$/.test(token) || token.endsWith("...");

/** Commander keeps allowUnknownOption private; the passthrough command (`pulumi`) is the one that sets it. */
function allowsUnknownOptions(command: Command): boolean {
  const flag = (command as unknown as { _allowUnknownOption?: unknown })._allowUnknownOption;
  if (typeof flag !== "boolean") throw new Error("commander no longer keeps _allowUnknownOption: read the passthrough another way");
  return flag;
}

/** A word the CLI refuses in a documented call of `command`, and why (empty when it takes them all). */
function refusedWords(program: Command, command: Command, args: readonly string[]): { word: string; why: string }[] {
  const options: Option[] = [...command.options, ...program.options, ...command.createHelp().visibleOptions(command)];
  const flags = [...new Set(options.map((option) => option.flags))];
  const declared: readonly Argument[] = command.registeredArguments;
  const refused: { word: string; why: string }[] = [];
  const checkChoices = (value: string, choices: readonly string[] | undefined, of: string) => {
    if (!choices || isPlaceholder(value)) return;
    for (const choice of value.split("|").filter((part) => !choices.includes(part)))
      refused.push({ word: choice, why: `${of} is one of ${choices.join(", ")}, not ${choice}` });
  };
  const words = args.map((arg) => arg.replace(/[[\]]/g, "")).filter((word) => word !== "");
  // npm's own `--` hands the rest to the script; a second one ends the CLI's options.
  if (words[0] === "--") words.shift();
  let positional = 0;
  let optionsEnded = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "..." || (word === "--" && !optionsEnded)) {
      optionsEnded ||= word === "--";
      continue;
    }
    if (!optionsEnded && /^--?[^-]/.test(word) && !isPlaceholder(word)) {
      const [flag = word, inline] = word.split("=", 2);
      const option = options.find((candidate) => candidate.long === flag || candidate.short === flag);
      if (!option) {
        if (!allowsUnknownOptions(command)) refused.push({ word: flag, why: `${command.name()} has no flag ${flag} (it takes ${flags.join(", ")})` });
        continue;
      }
      if (!option.required && !option.optional) continue;
      const value = inline ?? (option.optional && words[i + 1]?.startsWith("-") ? undefined : words[++i]);
      if (value !== undefined) checkChoices(value, option.argChoices, `${command.name()} ${option.long}`);
      continue;
    }
    const last = declared[declared.length - 1];
    const argument = declared[positional] ?? (last?.variadic ? last : undefined);
    if (!argument) {
      if (!isPlaceholder(word))
        refused.push({ word, why: `${command.name()} takes no argument ${word} (its arguments: ${declared.map((arg) => arg.name()).join(", ") || "none"})` });
      continue;
    }
    checkChoices(word, argument.argChoices, `${command.name()}'s <${argument.name()}>`);
    if (!argument.variadic) positional++;
  }
  return refused;
}

function commandProblems(docs: readonly Doc[], truth: Truth): string[] {
  const problems: string[] = [];
  for (const call of docs.flatMap(invocationsIn)) {
    if (isPlaceholder(call.script)) continue;
    const where = `${call.file}:${call.line}: npm run ${[call.script, ...call.args].join(" ")}`;
    if (!truth.scripts.has(call.script)) {
      problems.push(`${where}: package.json has no script "${call.script}"`);
      continue;
    }
    const command = truth.program.commands.find((candidate) => candidate.name() === call.script);
    if (!command) continue;
    // A call shown as refused on purpose (the bad-input catalogue) quotes the CLI's refusal of the word.
    for (const { word, why } of refusedWords(truth.program, command, call.args)) {
      if (!call.lineText.includes(`'${word}'`)) problems.push(`${where}: ${why}`);
    }
  }
  return problems;
}

/** Every command of the CLI has a usage heading in the reference, naming each flag of its own. */
function usageProblems(docs: readonly Doc[], program: Command): string[] {
  const reference = docs.find(({ file }) => file === "docs/reference.md");
  const headings = blocksOf(reference?.text ?? "").filter((block) => !block.fenced && /^#{2,4}\s/.test(block.text));
  const problems: string[] = [];
  for (const command of program.commands) {
    const usage = headings.find(
      (heading) => heading.text.replace(/^#+\s+/, "").startsWith(`\`npm run ${command.name()} `) || heading.text.endsWith(`\`npm run ${command.name()}\``),
    );
    if (!usage) {
      problems.push(`docs/reference.md: no usage heading for ${command.name()} (### \`npm run ${command.name()} -- ...\`)`);
      continue;
    }
    for (const option of command.options) {
      const flag = option.long ?? option.short ?? option.flags;
      if (!new RegExp(`[\\s[]${flag}[\\s\\]=\`]`).test(usage.text))
        problems.push(`docs/reference.md:${usage.line}: the usage of ${command.name()} does not name ${flag}, which it takes`);
    }
  }
  return problems;
}

/** Every docs/ file is listed in the docs index and in the README, so a new one is found. */
function indexProblems(docs: readonly Doc[]): string[] {
  const linked = (file: string) => {
    const doc = docs.find((candidate) => candidate.file === file);
    return new Set((doc ? linksOf(doc) : []).map(({ target }) => path.join(path.dirname(file), target.split("#")[0]!)));
  };
  const problems: string[] = [];
  for (const index of ["docs/README.md", "README.md"]) {
    const listed = linked(index);
    for (const doc of docs.filter(({ file }) => file.startsWith("docs/") && file !== "docs/README.md")) {
      if (!listed.has(doc.file)) problems.push(`${index}: does not link ${doc.file} (add one line for it)`);
    }
  }
  return problems;
}

describe("README.md and docs/ stay true", () => {
  const docs = readDocs();
  const truth = realTruth();

  it("every command of the CLI has a usage heading in docs/reference.md that names each of its flags", () => {
    expect(docs.map(({ file }) => file)).to.include.members(["README.md", "docs/README.md", "docs/reference.md"]);
    expect(usageProblems(docs, truth.program)).to.deep.equal([]);
  });

  it("every relative link resolves, and every #anchor names a heading of its file (GitHub's slugs)", () => {
    expect(linkProblems(docs, truth)).to.deep.equal([]);
  });

  it("every npm run names a script of package.json", () => {
    expect(commandProblems(docs, truth).filter((problem) => problem.includes("has no script"))).to.deep.equal([]);
  });

  it("every documented call of a CLI command uses only the arguments, choices and flags the commander program takes", () => {
    expect(commandProblems(docs, truth).filter((problem) => !problem.includes("has no script"))).to.deep.equal([]);
  });

  it("every file of docs/ is listed in docs/README.md and the README", () => {
    expect(indexProblems(docs)).to.deep.equal([]);
  });
});

describe("the documentation checks catch what they are for", () => {
  const truth = realTruth();
  const doc = (file: string, text: string): Doc => ({ file, text });

  it("slugs headings as GitHub does: code and punctuation dropped, spaces made hyphens, repeats numbered", () => {
    expect(githubSlug("Secrets Manager hand-off (prod)")).to.equal("secrets-manager-hand-off-prod");
    expect(githubSlug("3. Log in, create the stacks once, commit their files")).to.equal("3-log-in-create-the-stacks-once-commit-their-files");
    expect(githubSlug("`npm run rotate -- <stack> start|finish [--yes]`")).to.equal("npm-run-rotate----stack-startfinish---yes");
    expect([...anchorsOf("# Notes\n\n## Notes\n\n```sh\n# not a heading\n```\n## Notes\n")]).to.deep.equal(["notes", "notes-1", "notes-2"]);
  });

  it("names the file and line of a missing file, a missing anchor, and ignores links inside code", () => {
    const docs = [
      doc("docs/a.md", "# A\n\nSee [b](b.md), [its part](README.md#no-such-part), [here](#a).\n\n`[not a link](nowhere.md)`\n"),
      doc("docs/README.md", "# Index\n"),
    ];
    expect(linkProblems(docs, truth)).to.deep.equal([
      "docs/a.md:3: link b.md: docs/b.md does not exist",
      "docs/a.md:3: link README.md#no-such-part: docs/README.md has no heading with the anchor #no-such-part",
    ]);
  });

  it("names a missing script, an unknown flag, a bad choice and an extra argument, and reads usage placeholders", () => {
    const text = [
      "```sh",
      "npm run verifyy -- local",
      "npm run -s outputs -- local --format env --show-secret > x.env",
      "```",
      "",
      "`npm run rotate -- <stack> start|finish|restart [--yes] [--json]`, `npm run outputs -- <stack> [--format json|env] [--out FILE]`,",
      "`npm run demo [-- --keep-running]`, `npm run pulumi -- local config set x --anything`, `npm run destroy -- local now`",
      "| refused | `npm run outputs -- local --format yaml` | `outputs: option '--format <format>' argument 'yaml' is invalid.` |",
    ].join("\n");
    expect(commandProblems([doc("docs/x.md", text)], truth)).to.deep.equal([
      'docs/x.md:2: npm run verifyy -- local: package.json has no script "verifyy"',
      "docs/x.md:3: npm run outputs -- local --format env --show-secret: outputs has no flag --show-secret (it takes --format <format>, --show-secrets, --out <file>, --force, --debug, -h, --help)",
      `docs/x.md:6: npm run rotate -- <stack> start|finish|restart [--yes] [--json]: rotate's <action> is one of ${ROTATE_ACTIONS.join(", ")}, not restart`,
      "docs/x.md:7: npm run destroy -- local now: destroy takes no argument now (its arguments: stack)",
    ]);
  });

  it("finds a command without a usage heading and a flag its heading leaves out", () => {
    const reference = doc(
      "docs/reference.md",
      "# Reference\n\n### `npm run provision -- <stack...> [--all] [--preview] [--refresh] [--yes] [--json] [--skip-verify] [--debug]`\n",
    );
    const problems = usageProblems([reference], truth.program);
    expect(problems).to.include("docs/reference.md:3: the usage of provision does not name --adopt, which it takes");
    expect(problems).to.include("docs/reference.md: no usage heading for rotate (### `npm run rotate -- ...`)");
    expect(problems.filter((problem) => problem.includes("usage of provision"))).to.have.length(1);
  });

  it("finds a docs file missing from the indexes", () => {
    const docs = [doc("README.md", "[a](docs/a.md)\n"), doc("docs/README.md", "[a](a.md)\n"), doc("docs/a.md", "# A\n"), doc("docs/b.md", "# B\n")];
    expect(indexProblems(docs)).to.deep.equal([
      "docs/README.md: does not link docs/b.md (add one line for it)",
      "README.md: does not link docs/b.md (add one line for it)",
    ]);
  });
});
