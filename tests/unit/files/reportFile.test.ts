import { expect } from "chai";
import { execFile } from "node:child_process";
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { UsageError } from "../../../automation/errors";
import { checkReportFileTarget, writeReportFile } from "../../../automation/files/reportFile";

const git = promisify(execFile);

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, "a refusal").to.be.instanceOf(UsageError);
  return (error as UsageError).message;
}

describe("report files (verify --junit)", () => {
  let scratch: string;
  let repo: string;

  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-iam-report-"));
    repo = path.join(scratch, "repo");
    await mkdir(repo);
    await git("git", ["-C", repo, "init", "--quiet"]);
    await writeFile(path.join(repo, "README.md"), "tracked\n");
    await writeFile(path.join(repo, ".gitignore"), "reports/\n");
    await git("git", ["-C", repo, "add", "README.md", ".gitignore"]);
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  it("writes a new file and replaces an old one whole, leaving no temporary file", async () => {
    const file = path.join(scratch, "verify.xml");
    expect(await writeReportFile(file, "<first/>")).to.equal(file);
    await writeReportFile(file, "<second/>");
    expect(await readFile(file, "utf8")).to.equal("<second/>");
    expect((await readdir(scratch)).filter((name) => name.endsWith(".tmp"))).to.deep.equal([]);
  });

  it("writes into a work tree when git does not track the path, ignored or not", async () => {
    await mkdir(path.join(repo, "reports"));
    await writeReportFile(path.join(repo, "reports", "verify.xml"), "<ignored/>");
    await writeReportFile(path.join(repo, "verify.xml"), "<untracked/>");
    expect(await readFile(path.join(repo, "verify.xml"), "utf8")).to.equal("<untracked/>");
  });

  it("refuses a file git tracks and leaves it unchanged", async () => {
    const readme = path.join(repo, "README.md");
    expect(await refusal(writeReportFile(readme, "<x/>"))).to.equal(
      `refusing to overwrite ${readme}: git tracks it (write the report outside the repository, or to a path git ignores)`,
    );
    expect(await readFile(readme, "utf8")).to.equal("tracked\n");
  });

  it("refuses a symbolic link and leaves the file it points to unchanged", async () => {
    const victim = path.join(scratch, "victim.txt");
    const link = path.join(scratch, "link.xml");
    await writeFile(victim, "precious\n");
    await symlink(victim, link);
    expect(await refusal(writeReportFile(link, "<x/>"))).to.include("it is a symbolic link");
    expect(await readFile(victim, "utf8")).to.equal("precious\n");
    expect((await lstat(link)).isSymbolicLink()).to.equal(true);
  });

  it("refuses a path under something that is not a directory, such as /dev/null/x.xml", async () => {
    expect(await refusal(checkReportFileTarget("/dev/null/x.xml"))).to.equal(
      "cannot write /dev/null/x.xml: /dev/null is not a directory (choose another path)",
    );
  });

  it("refuses a path whose directory does not exist, without creating it", async () => {
    const file = path.join(scratch, "missing", "verify.xml");
    expect(await refusal(checkReportFileTarget(file))).to.include(`directory ${path.dirname(file)} does not exist`);
    expect(await stat(path.dirname(file)).catch(() => undefined)).to.equal(undefined);
  });

  it("refuses what is not a regular file: a device or a directory", async () => {
    expect(await refusal(checkReportFileTarget("/dev/null"))).to.include("it exists and is not a regular file");
    expect(await refusal(checkReportFileTarget(scratch))).to.include("it exists and is not a regular file");
  });
});
