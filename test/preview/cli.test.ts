/**
 * `alicloud-sharing preview` as users run it: the built command in a process of its own (help, version, options,
 * exit codes, what goes to stdout and stderr), and the reports of whole runs (the declarative program, refused
 * components, policy violations) in every format, each report whole. Programs that fail or hang: programs.test.ts.
 */
import { spawnSync } from "child_process";
import { join, relative } from "path";
import { pathToFileURL } from "url";
import type { Log } from "sarif";
import { rules } from "../../src/rules";
import { rawResources } from "../../src/preview/resources";
import { sharingMap } from "../../src/preview/map";
import { fingerprintOf, renderJson, renderMermaid, renderSarif, renderText } from "../../src/preview/render";
import { PreviewResult, runPreview } from "../../src/preview/run";

const root = join(__dirname, "..", "..");
const fixtures = join(root, "test", "fixtures");

function cli(...args: string[]): { code: number; out: string; err: string } {
    const r = spawnSync(process.execPath, [join(root, "dist", "preview", "cli.js"), ...args], { cwd: root, encoding: "utf8" });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
const preview = (...args: string[]) => cli("preview", ...args);

/** The SARIF 2.1.0 schema (as Microsoft's SARIF matchers ship it), draft-04, checked with ajv. */
function sarifErrors(log: unknown): unknown[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require("ajv-draft-04");
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("ajv-formats")(ajv);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const validate = ajv.compile(require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"));
    return validate(log) ? [] : validate.errors;
}

const sarifOf = (result: PreviewResult) => JSON.parse(renderSarif(result, "0.1.0", { programDir: join(root, "test", "fixtures", "x"), cwd: root })) as Log;

/** A report much larger than a pipe's 64 KiB: 400 raw shares to a user name. */
const LARGE = join(fixtures, "large-report");

describe("the command line", () => {
    test("--help describes each option, the exit codes and an example; -h and help preview say the same", () => {
        const help = preview("--help");
        expect(help.code).toBe(0);
        expect(help.err).toBe("");
        for (const option of ["--stack <name>", "--config <file>", "--policy-config <file>", "--format <format>", "--map <kind>", "--account <id>", "--timeout <seconds>", "--transpile-only"]) {
            expect(help.out).toContain(option);
        }
        expect(help.out).toContain("Exit codes:\n  0  no mandatory violation\n  1  a mandatory violation");
        expect(help.out).toContain("  2  the command could not run");
        expect(help.out).toContain("Example:\n  $ npx alicloud-sharing preview . --stack dev --format sarif > preview.sarif");
        expect(preview("-h").out).toBe(help.out);
        expect(cli("help", "preview").out).toBe(help.out);
    });

    test("--version prints the package's version; no arguments prints the help to stderr with exit 2", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(cli("--version")).toEqual({ code: 0, out: `${require("../../package.json").version}\n`, err: "" });
        const none = cli();
        expect(none.code).toBe(2);
        expect(none.out).toBe("");
        expect(none.err).toMatch(/^Usage: alicloud-sharing \[options\] \[command\]\n[\s\S]*preview \[options\] \[program-dir\][\s\S]*audit \[options\]/);
    });

    test("an unknown option or a bad value exits 2 with a suggestion, and nothing on stdout", () => {
        const typo = preview(".", "--frmat", "json");
        expect([typo.code, typo.out]).toEqual([2, ""]);
        expect(typo.err).toMatch(/^error: unknown option '--frmat'\n\(Did you mean --format\?\)\n/);
        const format = preview(".", "--format", "xml");
        expect(format.code).toBe(2);
        expect(format.err).toMatch(/^error: option '-f, --format <format>' argument 'xml' is invalid\. Allowed choices are text, json, sarif\./);
        const command = cli("preveiw");
        expect(command.code).toBe(2);
        expect(command.err).toMatch(/^error: unknown command 'preveiw'\n\(Did you mean preview\?\)/);
    });

    test("--account, --timeout and --map are checked before anything runs; no runtime warning on stderr", () => {
        expect(preview(".", "--account", "12345")).toEqual({
            code: 2,
            out: "",
            err: "error: option '--account <id>' argument '12345' is invalid. An Alibaba Cloud account id is 16 digits.\n(alicloud-sharing --help describes every option)\n",
        });
        expect(preview(".", "--timeout", "0").err).toMatch(/^error: option '--timeout <seconds>' argument '0' is invalid\. --timeout takes a whole number from 1 to 86400\./);
        expect(preview(".", "--format", "sarif", "--map", "mermaid")).toEqual({
            code: 2,
            out: "",
            err: "error: --map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif\n",
        });
    });

    test("a policy config the schema refuses exits 2 before the program runs, naming every problem with its path", () => {
        expect(preview(join(fixtures, "open-trust"), "--policy-config", join(fixtures, "bad-policy-config.json"))).toEqual({
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

    test("several stacks and no --stack exits 2 saying how; --stack picks one", () => {
        const { code, err } = preview(join(fixtures, "two-stacks"));
        expect(code).toBe(2);
        expect(err).toMatch(/has several stacks \(Pulumi\.a\.yaml, Pulumi\.b\.yaml\): give --stack NAME or --config FILE/);
        expect(preview(join(fixtures, "two-stacks"), "--stack", "a").code).toBe(0);
    });
});

describe("the declarative program with its bundled stack config", () => {
    let result: PreviewResult;
    beforeAll(async () => {
        result = await runPreview({ programDir: root, transpileOnly: true });
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
            '  n13(["image m-3bfc9840ee2f2c4e7d38"])',
            "  n13 --> n12",
            '  n14(["image m-b64973ce61c9cb796f5a"])',
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

    test("the built command: --format json --map mermaid is one JSON document with the flowchart as its mermaid key", () => {
        const { code, out } = preview(".", "--transpile-only", "--format", "json", "--map", "mermaid");
        expect(code).toBe(0);
        const report = JSON.parse(out);
        expect(report.resources).toHaveLength(29);
        expect(report.mermaid).toBe(renderMermaid(map()));
    });
});

describe("refusals: every refused component, located, in text, JSON and SARIF", () => {
    let result: PreviewResult;
    beforeAll(async () => {
        result = await runPreview({ programDir: join(fixtures, "two-refusals") });
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

    test("the built command exits 1 and its SARIF is the same log, located in the entry file relative to the working directory", () => {
        const { code, out } = preview(join("test", "fixtures", "two-refusals"), "--format", "sarif");
        expect(code).toBe(1);
        const log = JSON.parse(out) as Log;
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
        expect(run.invocations).toEqual([{ executionSuccessful: false, toolExecutionNotifications: [{ level: "error", message: { text: "the program failed: the program's own error" } }] }]);
        expect(sarifErrors(sarifOf(failed))).toEqual([]);
    });
});

describe("verdicts are findings, as data", () => {
    test("--format json: a component's refusal carries its rule, constraints, level, message, fix, argument path and the component's URN", () => {
        const { code, out } = preview(".", "--transpile-only", "--config", join(fixtures, "malformed-account.yaml"), "--format", "json");
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
    test("a policy's violation carries the property path and the resource's URN (JSON), and names the rule's constraints (text)", () => {
        const json = preview(join(fixtures, "open-trust"), "--format", "json");
        const [v] = JSON.parse(json.out).violations;
        expect([json.code, v.policy, v.rule, v.constraints, v.level, v.path, v.urn, v.fix]).toEqual([
            1,
            "sharing-share-role",
            "trust-policy-not-open",
            ["S1", "C21"],
            "mandatory",
            "assumeRolePolicyDocument",
            "urn:pulumi:dev::open-trust::alicloud:ram/role:Role::hand-written",
            "Trust `<uid>@ecs.aliyuncs.com` per sharee account, or `*@ecs.aliyuncs.com` with a `sts:ServiceOwnerRDId` / `sts:ServiceOwnerRDPath` condition, and nothing else (the library's trust-policy builders render exactly that).",
        ]);
        const text = preview(join(fixtures, "open-trust"));
        expect(text.code).toBe(1);
        expect(text.out).toMatch(/\[mandatory\] sharing-share-role hand-written at assumeRolePolicyDocument\n\s+\[S1, C21\] the trust policy cannot be proven safe: Statement\[0\] trusts "\*@ecs\.aliyuncs\.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition/);
    });
});

test("a report larger than a pipe holds reaches the reader whole (SARIF through a pipe parses)", () => {
    const r = spawnSync(process.execPath, [join(root, "dist", "preview", "cli.js"), "preview", LARGE, "--format", "sarif"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(256 * 1024);
    expect((JSON.parse(r.stdout) as Log).runs[0].results).toHaveLength(400);
});

test("a policy config that disables policies says so, in text and JSON", () => {
    const text = preview(join(fixtures, "open-trust"), "--policy-config", join(fixtures, "disables.json"));
    expect(text.code).toBe(0);
    expect(text.out).toContain("Policy levels set by the policy config: sharing-share-role disabled (not mandatory), sharing-limits advisory (not mandatory)\nVerdicts: 0 mandatory, 0 advisory");
});

