/**
 * `alicloud-sharing preview` as users run it: the built command in a process of its own (help, version, options,
 * exit codes, what goes to stdout and stderr), and the reports of whole runs (the declarative program, refused
 * components, policy violations) in every format, each report whole. Programs that fail or hang: programs.test.ts.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, relative } from "path";
import { readStackConfig } from "../../src/preview/program";
import { pathToFileURL } from "url";
import type { Log } from "sarif";
import { rules } from "../../src/rules";
import { rawResources, withoutCredentials } from "../../src/preview/resources";
import { sharingMap } from "../../src/preview/map";
import { failureReportOf, fingerprintOf, renderJson, renderMermaid, renderSarif, renderText, reportOf } from "../../src/preview/render";
import { PreviewResult, exitCodeOf, runPreviewReport } from "../../src/preview/run";
import { command, commands, judgedUnder } from "../support/previewRuns";
import { sarifErrors } from "../support/sarif";

const root = join(__dirname, "..", "..");
const fixtures = join(root, "test", "fixtures");

function cli(...args: string[]): { code: number; out: string; err: string } {
    const r = spawnSync(process.execPath, [join(root, "dist", "preview", "cli.js"), ...args], { cwd: root, encoding: "utf8" });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
const preview = (...args: string[]) => cli("preview", ...args);

const sarifOf = (result: PreviewResult) => JSON.parse(renderSarif(result, "0.1.0", { programDir: join(root, "test", "fixtures", "x"), cwd: root })) as Log;

/** A report much larger than a pipe's 64 KiB: 100 raw shares to a user name. */
const LARGE = join(fixtures, "large-report");

// The programs this file runs through the command in this process (the program in a process of its own), at once.
const runs = commands({
    twoStacks: ["preview", join(fixtures, "two-stacks"), "--config", join(fixtures, "two-stacks", "Pulumi.a.yaml"), "--format", "json"],
});
// One run of the open-trust program, judged with its own policy config and under one that disables policies.
const openTrust = judgedUnder(join(fixtures, "open-trust"), {}, { own: {}, disables: { policyConfigFile: join(fixtures, "disables.json") } });
jest.setTimeout(180_000);

describe("the command line", () => {
    test("--help (the built command) describes each option, the exit codes and an example; -h and help preview say the same", async () => {
        const help = preview("--help");
        expect(help.code).toBe(0);
        expect(help.err).toBe("");
        for (const option of ["--stack <name>", "--config <file>", "--policy-config <file>", "--format <format>", "--map <kind>", "--account <id>", "--timeout <seconds>", "--transpile-only"]) {
            expect(help.out).toContain(option);
        }
        expect(help.out).toContain("Exit codes:\n  0  no mandatory violation\n  1  a mandatory violation");
        expect(help.out).toContain("  2  the command could not run");
        expect(help.out).toContain("Example:\n  $ npx alicloud-sharing preview . --stack dev --format sarif > preview.sarif");
        expect((await command("preview", "-h")).out).toBe(help.out);
        expect((await command("help", "preview")).out).toBe(help.out);
    });

    test("--version prints the package's version; no arguments prints the help to stderr with exit 2", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(await command("--version")).toEqual({ code: 0, out: `${require("../../package.json").version}\n`, err: "" });
        const none = await command();
        expect(none.code).toBe(2);
        expect(none.out).toBe("");
        expect(none.err).toMatch(/^Usage: alicloud-sharing \[options\] \[command\]\n[\s\S]*preview \[options\] \[program-dir\][\s\S]*audit \[options\]/);
    });

    test("an unknown option or a bad value exits 2 with a suggestion, and nothing on stdout", async () => {
        const typo = await command("preview", ".", "--frmat", "json");
        expect([typo.code, typo.out]).toEqual([2, ""]);
        expect(typo.err).toMatch(/^error: unknown option '--frmat'\n\(Did you mean --format\?\)\n/);
        const format = await command("preview", ".", "--format", "xml");
        expect(format.code).toBe(2);
        expect(format.err).toMatch(/^error: option '-f, --format <format>' argument 'xml' is invalid\. Allowed choices are text, json, sarif\./);
        const unknown = await command("preveiw");
        expect(unknown.code).toBe(2);
        expect(unknown.err).toMatch(/^error: unknown command 'preveiw'\n\(Did you mean preview\?\)/);
    });

    test("--account, --timeout and --map are checked before anything runs; no runtime warning on stderr", async () => {
        expect(await command("preview", ".", "--account", "12345")).toEqual({
            code: 2,
            out: "",
            err: "error: option '--account <id>' argument '12345' is invalid. An Alibaba Cloud account id is 16 digits.\n(alicloud-sharing --help describes every option)\n",
        });
        expect((await command("preview", ".", "--timeout", "0")).err).toMatch(/^error: option '--timeout <seconds>' argument '0' is invalid\. --timeout takes a whole number from 1 to 86400\./);
        expect(await command("preview", ".", "--format", "sarif", "--map", "mermaid")).toEqual({
            code: 2,
            out: "",
            err: "error: --map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif\n",
        });
    });

    test("a policy config the schema refuses exits 2 before the program runs, naming every problem with its path", async () => {
        expect(await command("preview", join(fixtures, "open-trust"), "--policy-config", join(fixtures, "bad-policy-config.json"))).toEqual({
            code: 2,
            out: "",
            err:
                `error: the policy config ${join(fixtures, "bad-policy-config.json")} has 5 problems:\n` +
                '  - sharing-limit: is not a policy of the pack; did you mean "sharing-limits"?\n' +
                '  - sharing-limits.maxAccountPerSnapshot: is not a known key; did you mean "maxAccountsPerSnapshot"?\n' +
                '  - sharing-limits.enforcementLevel: must be one of "advisory", "mandatory", "remediate", "disabled", not "strict"\n' +
                '  - sharing-limits.maxAccountsPerSnapshot: must be integer, not "ten"\n' +
                '  - sharing-recipients.allowedRecipients.accountId: is not a known key; did you mean "accountIds"?\n',
        });
    });

    test("with --format json, a file or option the preview refuses is still a JSON document: the error, of kind setup", async () => {
        const { code, out, err } = await command("preview", join(fixtures, "two-stacks"), "--format", "json");
        expect(code).toBe(2);
        const message = `${join(fixtures, "two-stacks")} has several stacks (Pulumi.a.yaml, Pulumi.b.yaml): give --stack NAME or --config FILE`;
        expect(JSON.parse(out)).toEqual({ error: { kind: "setup", message } });
        expect(err).toBe(`error: ${message}\n`);
    });

    test("several stacks and no --stack exits 2 saying how; --config picks one (the stack named after the file)", async () => {
        const { code, err } = await command("preview", join(fixtures, "two-stacks"));
        expect(code).toBe(2);
        expect(err).toMatch(/has several stacks \(Pulumi\.a\.yaml, Pulumi\.b\.yaml\): give --stack NAME or --config FILE/);
        const picked = await runs.twoStacks;
        expect(picked.code).toBe(0);
        expect(JSON.parse(picked.out)).toMatchObject({ project: "two-stacks", stack: "a" });
    });
});

describe("a provider's credentials, at any depth", () => {
    test("masked in the inputs the plan, JSON and SARIF show, and noted so that no message quotes them", () => {
        const found: string[] = [];
        const inputs = withoutCredentials(
            {
                region: "cn-beijing",
                accessKey: "LTAI-canary-1",
                assumeRole: JSON.stringify({ roleArn: "acs:ram::2345678901234567:role/deployer", externalId: "canary-external" }),
                assumeRoleWithOidc: { roleArn: "acs:ram::2345678901234567:role/oidc", oidcToken: "canary-oidc-token" },
                endpoints: [{ ecs: "ecs.example.com", securityToken: "canary-sts" }],
            },
            found,
        );
        expect(inputs).toEqual({
            region: "cn-beijing",
            accessKey: "[secret]",
            assumeRole: JSON.stringify({ roleArn: "acs:ram::2345678901234567:role/deployer", externalId: "[secret]" }),
            assumeRoleWithOidc: { roleArn: "acs:ram::2345678901234567:role/oidc", oidcToken: "[secret]" },
            endpoints: [{ ecs: "ecs.example.com", securityToken: "[secret]" }],
        });
        expect(found).toEqual(["LTAI-canary-1", "canary-external", "canary-oidc-token", "canary-sts"]);
    });
});

describe("stack config the project declares secret", () => {
    test("a malformed value of a secret key is named, never echoed; a plain key's value is quoted", () => {
        const dir = mkdtempSync(join(tmpdir(), "secret-config-"));
        try {
            const file = join(dir, "Pulumi.dev.yaml");
            writeFileSync(file, 'config:\n  alicloud:region: "canary region"\n');
            expect(() => readStackConfig(file, "p", ["alicloud:region"])).toThrow(`${file}: alicloud:region (a secret: its value is not shown) is not a region id (cn-hangzhou, ap-southeast-1…)`);
            expect(() => readStackConfig(file, "p")).toThrow(`${file}: alicloud:region is "canary region", not a region id (cn-hangzhou, ap-southeast-1…)`);
            writeFileSync(file, "config:\n  p:token: 12345678901234567890\n");
            expect(() => readStackConfig(file, "p", ["p:token"])).toThrow(`${file}: p:token is a number too large to read exactly; quote it (a secret: its value is not shown)`);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the declarative program with its bundled stack config", () => {
    let result: PreviewResult;
    let report: string;
    beforeAll(async () => {
        // As the command prints it (--format json --map mermaid), and the result it was rendered from.
        ({ result, report } = await runPreviewReport(
            { programDir: root, transpileOnly: true, output: () => undefined },
            { format: "json", map: "mermaid", version: "0.1.0", programDir: root, cwd: root },
        ));
    });
    const map = () => sharingMap(rawResources(result.resources), result.accountId, result.region);

    test("text: the plan with rendered documents and providers, the verdicts and the sharing map", () => {
        const text = renderText(result, map());
        expect(text).toContain("alicloud-sharing offline preview of alicloud-sharing (stack dev, config ");
        expect(text).toContain("Plan: 29 resources");
        expect(text).toMatch(/\+ alicloud:ram\/role:Role golden-images-share-role-role\n\s+assumeRolePolicyDocument:\n\s+\{\n\s+"Statement": \[/);
        expect(text).toContain("Verdicts: 0 mandatory, 4 advisory");
        expect(text).toContain(
            "    snapshots via resource share dr-backups in cn-shanghai, encryption: customer key (through the share role)\n      s-uf6backup00001, s-uf6backup00002\n      -> 3456789012345678 (account)",
        );
        expect(text).toContain("role AliyunECSShareEncryptImageDefaultRole trusts 1234567890123456, 2345678901234567, rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1*;");
        expect(text).not.toContain("__provider");
    });

    test("json: resources (with their provider) and violations", () => {
        const report = JSON.parse(renderJson(result, map()));
        expect(report.resources).toHaveLength(29);
        expect(report.resources.filter((r: { protect: boolean }) => r.protect)).toHaveLength(18);
        expect(new Set(report.resources.filter((r: { custom: boolean }) => r.custom).map((r: { provider: string }) => r.provider))).toEqual(new Set(["default", "alicloud-sharing-cn-beijing", undefined]));
        expect(report.resources.filter((r: { type: string; provider?: string }) => r.type.startsWith("pulumi:providers:") && r.provider !== undefined)).toEqual([]);
        expect(report.violations.map((v: { rule: string; level: string }) => `${v.rule}/${v.level}`)).toEqual(Array(4).fill("directory-and-accounts/advisory"));
        expect(report.mermaid).toBeUndefined();
    });

    test("mermaid: a flowchart from owner to shares, resources and recipients, ids generated, the whole chart", () => {
        expect(renderMermaid(map()).split("\n")).toEqual([
            "flowchart LR",
            '  n1["owner 1000000000000000"]',
            '  n2{{"resource share dr-backups<br/>cn-shanghai, customer key (through the share role)"}}',
            "  n1 --> n2",
            '  n3(["snapshot s-uf6backup00001"])',
            "  n3 --> n2",
            '  n4(["snapshot s-uf6backup00002"])',
            "  n4 --> n2",
            '  n5[/"account 3456789012345678"/]',
            "  n2 --> n5",
            '  n6{{"resource share golden-images<br/>cn-shanghai, customer key (through the share role)"}}',
            "  n1 --> n6",
            '  n7(["image m-uf6golden00001"])',
            "  n7 --> n6",
            '  n8(["image m-uf6golden00002"])',
            "  n8 --> n6",
            '  n9[/"account 1234567890123456"/]',
            "  n6 --> n9",
            '  n10[/"account 2345678901234567"/]',
            "  n6 --> n10",
            '  n11[/"folder fd-bVaRIG8Zp1"/]',
            "  n6 --> n11",
            '  n12{{"resource share golden-images-cn-beijing<br/>cn-beijing, customer key key-bjs6golden0001"}}',
            "  n1 --> n12",
            '  n13(["image (from golden-images-cn-beijing-copy-m-uf6golden00001)"])',
            "  n13 --> n12",
            '  n14(["image (from golden-images-cn-beijing-copy-m-uf6golden00002)"])',
            "  n14 --> n12",
            "  n12 --> n9",
            "  n12 --> n10",
            "  n12 --> n11",
            '  n15[["role AliyunECSShareEncryptSnapshotDefaultRole"]]',
            "  n1 -.-> n15",
            "  n15 -. trusts .-> n5",
            '  n16[["role AliyunECSShareEncryptImageDefaultRole"]]',
            "  n1 -.-> n16",
            "  n16 -. trusts .-> n9",
            "  n16 -. trusts .-> n10",
            "  n16 -. trusts .-> n11",
        ]);
    });

    test("--format json --map mermaid is one JSON document with the flowchart as its mermaid key; ids and computed outputs unknown, as in a preview", () => {
        const document = JSON.parse(report);
        expect(document.resources).toHaveLength(29);
        expect(document.mermaid).toBe(renderMermaid(map()));
        const target = document.resources.find((r: { type: string }) => r.type === "alicloud:resourcemanager/sharedTarget:SharedTarget");
        expect(target.inputs.resourceShareId).toBe("[unknown]");
        expect(target.propertyDependencies.resourceShareId).toEqual([document.resources.find((r: { type: string; parent: string }) => r.type === "alicloud:resourcemanager/resourceShare:ResourceShare" && r.parent === target.parent).urn]);
    });
});

describe("refusals: every refused component, located, in text, JSON and SARIF", () => {
    let result: PreviewResult;
    let sarif: string;
    beforeAll(async () => {
        // As the command prints it with --format sarif (run from the repository's folder), and the result it was rendered from.
        ({ result, report: sarif } = await runPreviewReport(
            { programDir: join(fixtures, "two-refusals"), output: () => undefined },
            { format: "sarif", version: "0.1.0", programDir: join(fixtures, "two-refusals"), cwd: root },
        ));
    });

    test("both refused components are reported, with their URN and argument path; the valid one still registers", () => {
        expect(result.programError).toBeUndefined();
        expect(result.verdicts.map((v) => [v.policy, v.rule, v.level, v.type, v.name, v.path, v.urn])).toEqual([
            ["component", "principal-format", "mandatory", "alicloud-sharing:index:SharedSnapshot", "backups", "accountIds[0]", "urn:pulumi:dev::two-refusals::alicloud-sharing:index:SharedSnapshot::backups"],
            ["component", "unencrypted-image-acknowledged", "mandatory", "alicloud-sharing:index:SharedImage", "golden", "unencryptedDataAcknowledged", "urn:pulumi:dev::two-refusals::alicloud-sharing:index:SharedImage::golden"],
        ]);
        // The refused components register with no children; the valid one registers its share.
        expect(result.resources.filter((r) => r.parent.endsWith("::backups") || r.parent.endsWith("::golden"))).toEqual([]);
        expect(result.resources.filter((r) => r.parent.endsWith("::ok")).map((r) => r.type)).toContain("alicloud:resourcemanager/resourceShare:ResourceShare");
    });

    test("--format json: a component's refusal carries its rule, constraints, level, message, fix, argument path and the component's URN", () => {
        expect(JSON.parse(renderJson(result, sharingMap(rawResources(result.resources), result.accountId, result.region))).violations[0]).toEqual({
            policy: "component",
            rule: "principal-format",
            constraints: ["C1"],
            level: "mandatory",
            message:
                '[C1] "12345" is not an account id (16 digits), a resource directory id (rd-…) or a folder path (rd-…/r-…/fd-…). ' +
                "Give the sharee's Alibaba Cloud account id, or the directory or folder path; RAM users and roles cannot receive shares. (rule principal-format)",
            fix: "Give the sharee's Alibaba Cloud account id, or the directory or folder path; RAM users and roles cannot receive shares.",
            path: "accountIds[0]",
            urn: "urn:pulumi:dev::two-refusals::alicloud-sharing:index:SharedSnapshot::backups",
            type: "alicloud-sharing:index:SharedSnapshot",
            name: "backups",
        });
    });

    test("text: a failed program with no verdict prints no report (its error goes to stderr, once): no empty plan", () => {
        expect(reportOf({ ...result, verdicts: [], programError: "the program's own error" }, { format: "text", version: "0.1.0", programDir: root, cwd: root })).toBe("");
    });

    test("text names each component and argument", () => {
        const text = renderText(result, sharingMap(rawResources(result.resources), result.accountId, result.region));
        expect(text).toContain('Verdicts: 2 mandatory, 0 advisory\n  [mandatory] component SharedSnapshot "backups" at accountIds[0]\n      [C1] "12345" is not an account id');
        expect(text).toContain('  [mandatory] component SharedImage "golden" at unencryptedDataAcknowledged\n      [C23] the images are not encrypted');
    });

    test("SARIF: valid against the SARIF 2.1.0 schema; results in the entry file relative to %SRCROOT%, at the URN, with stable fingerprints and rule descriptors linking docs/RULES.md at this version", () => {
        const log = sarifOf(result);
        expect(sarifErrors(log)).toEqual([]);
        const run = log.runs[0];
        expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `${pathToFileURL(root).href}/` } });
        expect(run.invocations).toEqual([{ executionSuccessful: true }]);
        const descriptors = run.tool.driver.rules!;
        expect(descriptors.map((d) => d.id)).toEqual(rules.map((r) => r.id));
        for (const d of descriptors) {
            // The repository's docs at this version's tag: a link that works wherever the log is read.
            expect(d.helpUri).toBe(`https://github.com/alicloud-sharing/alicloud-sharing/blob/v0.1.0/docs/RULES.md#${d.id}`);
        }
        expect(
            run.results!.map((r) => [
                r.ruleId,
                descriptors[r.ruleIndex!].id,
                r.level,
                r.locations![0].physicalLocation!.artifactLocation,
                r.locations![0].logicalLocations![0].fullyQualifiedName,
                r.properties!.path,
            ]),
        ).toEqual([
            ["principal-format", "principal-format", "error", { uri: "test/fixtures/x/index.js", uriBaseId: "%SRCROOT%" }, "urn:pulumi:dev::two-refusals::alicloud-sharing:index:SharedSnapshot::backups", "accountIds[0]"],
            ["unencrypted-image-acknowledged", "unencrypted-image-acknowledged", "error", { uri: "test/fixtures/x/index.js", uriBaseId: "%SRCROOT%" }, "urn:pulumi:dev::two-refusals::alicloud-sharing:index:SharedImage::golden", "unencryptedDataAcknowledged"],
        ]);
        // Stable: the same verdict, the same fingerprint; another resource, another one.
        expect(run.results!.map((r) => r.partialFingerprints!["alicloudSharingVerdict/v1"])).toEqual(result.verdicts.map(fingerprintOf));
        expect(fingerprintOf(result.verdicts[0])).toBe(fingerprintOf({ ...result.verdicts[0], message: "another wording" }));
        expect(fingerprintOf(result.verdicts[0])).not.toBe(fingerprintOf({ ...result.verdicts[0], urn: "urn:pulumi:dev::two-refusals::alicloud-sharing:index:SharedSnapshot::other" }));
    });

    test("the command exits 1 and its SARIF is the same log, located in the entry file relative to the working directory", () => {
        expect(exitCodeOf(result)).toBe(1);
        const log = JSON.parse(sarif) as Log;
        expect(sarifErrors(log)).toEqual([]);
        expect(log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation)).toEqual(
            Array(2).fill({ uri: relative(root, join(fixtures, "two-refusals", "index.js")), uriBaseId: "%SRCROOT%" }),
        );
    });

    test("SARIF locations are URIs whatever the folder's name (spaces, #, %); a policy the config disables is a configuration notification", () => {
        const odd = JSON.parse(renderSarif({ ...result, levelChanges: [{ policy: "sharing-limits", level: "disabled", defaultLevel: "mandatory" }] }, "0.1.0", { programDir: join(root, "sp ace#1%zz"), cwd: root })) as Log;
        expect(sarifErrors(odd)).toEqual([]);
        expect(odd.runs[0].results![0].locations![0].physicalLocation!.artifactLocation).toEqual({ uri: "sp%20ace%231%25zz/index.js", uriBaseId: "%SRCROOT%" });
        expect(odd.runs[0].invocations![0].toolConfigurationNotifications).toEqual([{ level: "warning", message: { text: "the policy config sets sharing-limits to disabled (its own level is mandatory)" } }]);
    });

    test("a program error in SARIF is a failed invocation with the error as a notification, and the log stays valid", () => {
        const failed: PreviewResult = { ...result, verdicts: [], programError: "the program's own error" };
        const run = sarifOf(failed).runs[0];
        expect(run.invocations).toEqual([
            { executionSuccessful: false, toolExecutionNotifications: [{ level: "error", message: { text: "the program failed: the program's own error" }, properties: { kind: "program" } }] },
        ]);
        expect(sarifErrors(sarifOf(failed))).toEqual([]);
    });

    test.each(["timeout", "exit", "unsettled", "setup"] as const)("a preview with no verdict (%s) in SARIF: a valid log, its invocation failed, no results", (kind) => {
        const log = JSON.parse(failureReportOf({ kind, message: `what happened (${kind})` }, { format: "sarif", version: "0.1.0", programDir: root, cwd: root })) as Log;
        expect(sarifErrors(log)).toEqual([]);
        expect(log.runs[0].tool.driver.rules!.map((d) => d.id)).toEqual(rules.map((r) => r.id));
        expect(log.runs[0].results).toBeUndefined();
        expect(log.runs[0].invocations).toEqual([{ executionSuccessful: false, toolExecutionNotifications: [{ level: "error", message: { text: `what happened (${kind})` }, properties: { kind } }] }]);
    });
});

describe("verdicts are findings, as data", () => {
    test("a policy's violation carries the property path and the resource's URN (JSON), and names the rule's constraints (text)", async () => {
        const { result } = await openTrust.own;
        const map = sharingMap(rawResources(result.resources), result.accountId, result.region);
        const [v] = JSON.parse(renderJson(result, map)).violations;
        expect([exitCodeOf(result), v.policy, v.rule, v.constraints, v.level, v.path, v.urn, v.fix]).toEqual([
            1,
            "sharing-share-role",
            "trust-policy-not-open",
            ["S1", "C21"],
            "mandatory",
            "assumeRolePolicyDocument",
            "urn:pulumi:dev::open-trust::alicloud:ram/role:Role::hand-written",
            "Trust `<uid>@ecs.aliyuncs.com` per sharee account, or `*@ecs.aliyuncs.com` with a `sts:ServiceOwnerRDId` / `sts:ServiceOwnerRDPath` condition, and nothing else (the library's trust-policy builders render exactly that).",
        ]);
        expect(renderText(result, map)).toMatch(/\[mandatory\] sharing-share-role hand-written at assumeRolePolicyDocument\n\s+\[S1, C21\] the trust policy cannot be proven safe: Statement\[0\] trusts "\*@ecs\.aliyuncs\.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition/);
    });
});

test("a report larger than a pipe holds reaches the reader whole (SARIF through a pipe parses)", () => {
    const r = spawnSync(process.execPath, [join(root, "dist", "preview", "cli.js"), "preview", LARGE, "--format", "sarif"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(128 * 1024);
    expect((JSON.parse(r.stdout) as Log).runs[0].results).toHaveLength(100);
});

test("a policy config that disables policies says so, in text", async () => {
    const text = await openTrust.disables;
    expect(text.code).toBe(0);
    expect(text.out).toContain("Policy levels set by the policy config: sharing-share-role disabled (not mandatory), sharing-limits advisory (not mandatory)\nVerdicts: 0 mandatory, 0 advisory");
});

