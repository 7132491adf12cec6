/**
 * `alicloud-sharing preview` as users run it: the built command in a process of its own, on the declarative
 * program, on every example, and on programs that break a rule or fail.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { pathToFileURL } from "url";
import type { Log } from "sarif";
import { rules } from "../../src/rules";

const root = join(__dirname, "..", "..");
const fixtures = join(root, "test", "fixtures");

function preview(...args: string[]): { code: number; out: string; err: string } {
    const r = spawnSync(process.execPath, [join(root, "dist", "preview", "cli.js"), "preview", ...args], { cwd: root, encoding: "utf8" });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("the declarative program with its bundled stack config", () => {
    const text = preview(".");
    test("exits 0 and prints the plan with rendered documents, the verdicts and the sharing map", () => {
        expect(text.code).toBe(0);
        expect(text.out).toContain("alicloud-sharing offline preview of alicloud-sharing (stack dev, config ");
        expect(text.out).toContain("Plan: 29 resources");
        expect(text.out).toMatch(/\+ alicloud:ram\/role:Role golden-images-share-role-role\n\s+assumeRolePolicyDocument:\n\s+\{\n\s+"Statement": \[/);
        expect(text.out).toContain("Verdicts: 0 mandatory, 4 advisory");
        expect(text.out).toContain(
            "    snapshots via resource share dr-backups in cn-shanghai, encryption: customer key (through the share role)\n      s-uf6backup00001, s-uf6backup00002\n      -> 3456789012345678 (account)",
        );
        expect(text.out).toContain("role AliyunECSShareEncryptImageDefaultRole trusts 1234567890123456, 2345678901234567, rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1*;");
    });

    test("--format json: resources and violations", () => {
        const { code, out } = preview(".", "--format", "json");
        expect(code).toBe(0);
        const report = JSON.parse(out);
        expect(report.resources).toHaveLength(29);
        expect(report.resources.filter((r: { protect: boolean }) => r.protect)).toHaveLength(18);
        expect(report.violations.map((v: { rule: string; level: string }) => `${v.rule}/${v.level}`)).toEqual(Array(4).fill("directory-and-accounts/advisory"));
    });

    test("--format sarif: a SARIF 2.1.0 log whose results name the registry's rules", () => {
        const { code, out } = preview(".", "--format", "sarif");
        expect(code).toBe(0);
        const log: Log = JSON.parse(out);
        expect(log.version).toBe("2.1.0");
        expect(log.runs).toHaveLength(1);
        const run = log.runs[0];
        expect(run.tool.driver.name).toBe("alicloud-sharing");
        expect(run.tool.driver.rules!.map((r) => r.id)).toEqual(rules.map((r) => r.id));
        const ids = new Set(run.tool.driver.rules!.map((r) => r.id));
        expect(run.results!.map((r) => [r.ruleId, r.level])).toEqual(Array(4).fill(["directory-and-accounts", "warning"]));
        for (const result of run.results!) {
            expect(ids.has(result.ruleId!)).toBe(true);
            expect(result.message.text).toMatch(/^\[C22\] /);
            expect(result.locations![0].logicalLocations![0].fullyQualifiedName).toMatch(/^urn:pulumi:dev::alicloud-sharing::/);
        }
    });

    test("--map mermaid: a flowchart from owner to shares, resources and recipients", () => {
        const { out } = preview(".", "--map", "mermaid");
        const mermaid = out.slice(out.indexOf("flowchart LR"));
        expect(mermaid.split("\n").slice(0, 4)).toEqual([
            "flowchart LR",
            '  owner_1000000000000000["owner 1000000000000000"]',
            '  share_0_dr_backups{{"resource share: dr-backups<br/>cn-shanghai, customer key (through the share role)"}}',
            "  owner_1000000000000000 --> share_0_dr_backups",
        ]);
        expect(mermaid).toContain("  share_0_dr_backups --> to_3456789012345678");
        expect(mermaid).toContain('  role_AliyunECSShareEncryptImageDefaultRole -. trusts .-> to_fd_bVaRIG8Zp1');
    });

    test("a violating config (a malformed account id) exits 1 naming the rule", () => {
        const { code, out } = preview(".", "--config", join(fixtures, "malformed-account.yaml"));
        expect(code).toBe(1);
        expect(out).toMatch(/Verdicts: 1 mandatory, 0 advisory\n {2}\[mandatory\] component SharedSnapshot "dr-backups" at accountIds\[0\]\n\s+\[C1\] "12345" is not an account id .*\(rule principal-format\)\n\n/);
    });
});

describe("verdicts are findings, as data, in every format", () => {
    test("--format json: a component's refusal carries its rule, constraints, level, message, fix, argument path and the component's URN", () => {
        const { code, out } = preview(".", "--config", join(fixtures, "malformed-account.yaml"), "--format", "json");
        expect(code).toBe(1);
        expect(JSON.parse(out).violations).toEqual([
            {
                policy: "component",
                rule: "principal-format",
                constraints: ["C1"],
                level: "mandatory",
                message:
                    '[C1] "12345" is not an account id (16 digits), a resource directory id (rd-…) or a folder path (rd-…/r-…/fd-…). ' +
                    "Give the sharee's Alibaba Cloud account id, or the directory or folder path; RAM users and roles cannot receive shares. (rule principal-format)",
                fix: "Give the sharee's Alibaba Cloud account id, or the directory or folder path; RAM users and roles cannot receive shares.",
                path: "accountIds[0]",
                urn: "urn:pulumi:malformed-account::alicloud-sharing::alicloud-sharing:index:SharedSnapshot::dr-backups",
                type: "alicloud-sharing:index:SharedSnapshot",
                name: "dr-backups",
            },
        ]);
    });
    test("--format json: a policy's violation carries the property path and the resource's URN", () => {
        const { out } = preview(join(fixtures, "open-trust"), "--format", "json");
        const [v] = JSON.parse(out).violations;
        expect([v.policy, v.rule, v.constraints, v.level, v.path, v.urn, v.fix]).toEqual([
            "sharing-share-role",
            "trust-policy-not-open",
            ["S1", "C21"],
            "mandatory",
            "assumeRolePolicyDocument",
            "urn:pulumi:dev::open-trust::alicloud:ram/role:Role::hand-written",
            "Trust `<uid>@ecs.aliyuncs.com` per sharee account, or `*@ecs.aliyuncs.com` with a `sts:ServiceOwnerRDId` / `sts:ServiceOwnerRDPath` condition, and nothing else (the library's trust-policy builders render exactly that).",
        ]);
    });
    test("--format sarif: results name their rule by id and index; every rule descriptor links its section of docs/RULES.md", () => {
        const { out } = preview(".", "--config", join(fixtures, "malformed-account.yaml"), "--format", "sarif");
        const run = (JSON.parse(out) as Log).runs[0];
        const descriptors = run.tool.driver.rules!;
        for (const d of descriptors) {
            expect(d.helpUri).toBe(`${pathToFileURL(join(root, "docs", "RULES.md")).href}#${d.id}`);
        }
        expect(run.results!.map((r) => [r.ruleId, r.ruleIndex === undefined ? undefined : descriptors[r.ruleIndex].id, r.level, r.properties!.path])).toEqual([
            ["principal-format", "principal-format", "error", "accountIds[0]"],
        ]);
    });
});

describe("programs that break a rule or fail", () => {
    test("an open trust policy written by hand exits 1 naming S1", () => {
        const { code, out } = preview(join(fixtures, "open-trust"));
        expect(code).toBe(1);
        expect(out).toMatch(/\[mandatory\] sharing-share-role hand-written at assumeRolePolicyDocument\n\s+\[S1, C21\] the trust policy cannot be proven safe: Statement\[0\] trusts "\*@ecs\.aliyuncs\.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition/);
    });
    test("a program's own error exits 2 and shows that error, not ours", () => {
        const { code, err } = preview(join(fixtures, "broken"));
        expect(code).toBe(2);
        expect(err).toBe("error: the program failed: the program's own error: cannot reach the inventory service\n");
    });
    test("several stacks and no --stack exits 2 saying how", () => {
        const { code, err } = preview(join(fixtures, "two-stacks"));
        expect(code).toBe(2);
        expect(err).toMatch(/has several stacks \(Pulumi\.a\.yaml, Pulumi\.b\.yaml\): give --stack NAME or --config FILE/);
        expect(preview(join(fixtures, "two-stacks"), "--stack", "a").code).toBe(0);
    });
    test("an unknown option exits 2 with the usage", () => {
        const { code, err } = preview(".", "--frmat", "json");
        expect(code).toBe(2);
        expect(err).toMatch(/unknown option --frmat\nusage: alicloud-sharing preview/);
    });
});

describe("every example previews offline", () => {
    test.each([
        ["encrypted-snapshot-dr", [], 0, 10],
        ["golden-images", [], 0, 16],
        ["organization-policy", ["--policy-config", "examples/organization-policy/policy-config.json"], 0, 4],
        ["organization-policy", ["--policy-config", "examples/organization-policy/policy-config.strict.json"], 1, 4],
    ] as [string, string[], number, number][])("%s %j exits %i with %i resources", (example, args, exitCode, resources) => {
        const { code, out } = preview(join("examples", example), ...args, "--format", "json");
        expect(code).toBe(exitCode);
        const report = JSON.parse(out);
        expect(report.resources.filter((r: { custom: boolean; type: string }) => r.custom && !r.type.startsWith("pulumi:providers:"))).toHaveLength(resources);
        if (exitCode === 1) {
            expect(report.violations.map((v: { rule: string }) => v.rule)).toEqual(["exemption-valid", "recipients-allowed"]);
        }
    });
});
