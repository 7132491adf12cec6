/**
 * Review (issue 15), the organization file: odd files (a folder that contains itself through a YAML alias, subtrees
 * repeated by aliases, a folder with very many subfolders) are refused with a clear problem, in time linear in the
 * file, and never crash a reader. Each test names the defect and asserts the correct behaviour.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policies } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { organizationProblems, withOrganizationFile } from "../../src/rules/settings";
import { runPolicies } from "../../src/testing";

let dir: string;
beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-organization-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
};

test("a folder that contains itself (a YAML anchor and its alias) is refused naming the folder, not with 'Maximum call stack size exceeded'", () => {
    const file = write("cycle.yaml", ["resourceDirectory:", "  id: rd-org", "  rootFolderId: r-root", "  folders:", "    - &loop", "      id: fd-a", "      folders:", "        - *loop", ""].join("\n"));
    const { problems } = withOrganizationFile({ organizationFile: file }, dir);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message).join("\n")).not.toContain("Maximum call stack size exceeded");
    expect(problems.map((p) => p.message).join("\n")).toContain("fd-a");
});

test("subtrees repeated through YAML aliases are read in time linear in the file, not once per path (a 1 KB file took 32 s at 24 levels)", () => {
    // What js-yaml makes of `- &fN {id: fd-fN, folders: [*fN-1, *fN-1]}`: one object reached by 2^N paths.
    let reads = 0;
    const counted = (folder: Record<string, unknown>) =>
        new Proxy(folder, {
            get(target, key, receiver) {
                if (key === "folders") {
                    reads++;
                }
                return Reflect.get(target, key, receiver);
            },
        });
    const levels = 14;
    const folders: Record<string, unknown>[] = [counted({ id: "fd-f0" })];
    for (let i = 1; i <= levels; i++) {
        folders.push(counted({ id: `fd-f${i}`, folders: [folders[i - 1], folders[i - 1]] }));
    }
    const problems = organizationProblems({ resourceDirectory: { id: "rd-org", rootFolderId: "r-root", folders } }, "organization");
    // The file lists fd-f0 … twice: refused, as a folder listed twice is.
    expect(problems.length).toBeGreaterThan(0);
    // 15 distinct folders: a reader that follows each of them a few times, not each of the 2^14 paths to them.
    expect(reads).toBeLessThanOrEqual(20 * folders.length);
});

test("a folder with 150,000 subfolders in the pack's `organization` setting is judged, not a RangeError escaping the policy", async () => {
    const organization = { resourceDirectory: { id: "rd-org", rootFolderId: "r-root", folders: [{ id: "fd-big", folders: Array.from({ length: 150_000 }, (_, i) => ({ id: `fd-x${i}` })) }] } };
    const recipients = policies.filter((p) => p.name === "sharing-recipients");
    const found = await runPolicies(recipients, [{ type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "x", targetId: "2222222222222222" } }], { "sharing-recipients": { organization } });
    expect(found).toEqual([]);
}, 60_000);
