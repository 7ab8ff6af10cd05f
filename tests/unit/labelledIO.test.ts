import { expect } from "chai";
import { labelledIO } from "../../automation/labelledIO";

describe("labelledIO: lines of stacks provisioned at once", () => {
  it("prefixes whole lines only, keeping a chunk's unfinished line until its newline or the flush", () => {
    const written: string[] = [];
    const io = labelledIO({ progress: (text) => written.push(`progress:${text}`), report: (text) => written.push(`report:${text}`), color: false }, "[dev]");
    io.progress("Updat");
    io.progress("ing (dev):\n +  aws:iam:User creat");
    io.report("Changes to dev: create 6\n\n");
    io.progress("ing\n");
    io.progress("Duration: 3s");
    io.flush();
    expect(written).to.deep.equal([
      "progress:[dev] Updating (dev):\n",
      "report:[dev] Changes to dev: create 6\n[dev] \n",
      "progress:[dev]  +  aws:iam:User creating\n",
      "progress:[dev] Duration: 3s\n",
    ]);
  });
});
