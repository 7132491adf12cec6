/**
 * Review (issue 16), `org export` writing over what is there: a file of another directory, a file's permissions, and
 * the temporary file it writes beside the output. Each test names the defect and asserts the correct behaviour; each
 * fails on 791db5f.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runOrgExport } from "../../src/audit/orgExport";
import { loadOrganization } from "../../src/testing/organization";
import { Emulator, startEmulator } from "../support/emulator";
import { AUDIT_ENV } from "../audit/fixture";

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
    emulator = await startEmulator();
    loadOrganization(emulator);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "review16-export-"));
});
afterAll(async () => {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

const exportTo = (output: string) => runOrgExport({ env: AUDIT_ENV, endpoint: emulator.endpoint, output });

test("an existing file of another resource directory is not replaced with this one's tree under that directory's allow-list", async () => {
    const file = path.join(dir, "other.yaml");
    const other =
        "resourceDirectory:\n  id: rd-OTHER1\n  rootFolderId: r-OTHER1\n  folders:\n    - id: fd-otherfold1\n      name: x\n" +
        "allowedRecipients:\n  folderPathPrefixes: ['rd-OTHER1/r-OTHER1/fd-otherfold1']\n";
    fs.writeFileSync(file, other);
    // Defect: written, `kept: ["allowedRecipients"]`: rd-3G6Rt8's tree with an allow-list of rd-OTHER1's folders (which
    // allows none of this directory's), and the other directory's file is gone.
    const outcome = await exportTo(file).then(
        (r) => `written, kept ${r.kept.join(", ")}`,
        (e: Error) => `refused: ${e.message}`,
    );
    expect(outcome).toMatch(/^refused: .*rd-OTHER1/);
    expect(fs.readFileSync(file, "utf8")).toBe(other);
});

test("a file replaced keeps its permissions: an organization file only its owner may read stays so", async () => {
    const file = path.join(dir, "private.yaml");
    fs.writeFileSync(file, "allowedRecipients:\n  accountIds: ['1234567890123456']\n", { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    await exportTo(file);
    expect(fs.readFileSync(file, "utf8")).toContain("rd-3G6Rt8");
    // Defect: 644 — the new file is written with mode 0o644 and renamed over the old one.
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe("600");
});

test("the temporary file beside the output is created anew: a link planted at its predictable name is not followed", async () => {
    const victim = path.join(dir, "victim.txt");
    fs.writeFileSync(victim, "precious\n");
    const output = path.join(dir, "planted.yaml");
    // The name is `.<output>.<pid>.tmp`, known in advance (a shared folder such as /tmp lets anyone plant it).
    fs.symlinkSync(victim, path.join(dir, `.planted.yaml.${process.pid}.tmp`));
    await exportTo(output).catch(() => undefined);
    // Defect: writeFileSync follows the link: victim.txt now holds the organization file.
    expect(fs.readFileSync(victim, "utf8")).toBe("precious\n");
});
