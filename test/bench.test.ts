/** The benchmark's smoke run: every section runs end to end at tiny sizes. No timing is asserted. */
import { spawnSync } from "child_process";
import { join } from "path";

test("npm run bench -- --smoke runs every section and checks the component and raw programs make the same resources", () => {
    const r = spawnSync(process.execPath, [join(__dirname, "..", "bench", "run.js"), "--smoke"], { encoding: "utf8", cwd: join(__dirname, "..") });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const sections = r.stdout.split("\n").filter((l) => /^\| [a-z]+ \|/.test(l)).map((l) => l.split("|")[1].trim());
    expect([...new Set(sections)]).toEqual(["section", "overhead", "scale", "policy", "stack", "graph", "import", "preview", "audit"]);
    expect(r.stdout).toContain("| scale | SharedImage resourceShare, 2 images x 3 accounts | 9 |  | 6 share resources = 1 + 2 + 3 |  | O(images + accounts) | yes |");
    expect(r.stdout).toMatch(/\nmachine: \d+ x .+, Node v\d+/);
}, 120_000);
