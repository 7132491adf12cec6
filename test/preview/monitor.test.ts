/**
 * The preview's resource monitor and engine, driven over gRPC with the client `@pulumi/pulumi` itself uses: what it
 * answers (features, registrations as a preview answers them, the data sources it serves) and what it records.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Monitor, ROOT_STACK_TYPE, startMonitor } from "../../src/preview/monitor";
import { programPosition, stackPosition } from "../../src/preview/positions";
import { describeLoggedError, findingsInText, plainText } from "../../src/preview/runnerReports";

/* eslint-disable @typescript-eslint/no-require-imports */
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const engproto = require("@pulumi/pulumi/proto/engine_pb");
const engrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const sourceproto = require("@pulumi/pulumi/proto/source_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

type Client = Record<string, (request: unknown, callback: (error: grpc.ServiceError | null, response: Record<string, () => unknown>) => void) => void> & { close(): void };

let monitor: Monitor;
let client: Client;
let engine: Client;
const call = (on: Client, method: string, request: unknown) =>
    new Promise<{ error: grpc.ServiceError | null; response: Record<string, () => unknown> }>((resolve) => on[method](request, (error, response) => resolve({ error, response })));

function registration(type: string, name: string, parent: string, object: Record<string, unknown>, custom = true) {
    const request = new resproto.RegisterResourceRequest();
    request.setType(type);
    request.setName(name);
    request.setParent(parent);
    request.setCustom(custom);
    request.setObject(Struct.fromJavaScript(object));
    return request;
}

beforeAll(async () => {
    monitor = await startMonitor({ project: "p", stack: "dev", accountId: "1234567890123456", region: "cn-shanghai" });
    client = new resrpc.ResourceMonitorClient(monitor.address, grpc.credentials.createInsecure());
    engine = new engrpc.EngineClient(monitor.address, grpc.credentials.createInsecure());
});
afterAll(async () => {
    client.close();
    engine.close();
    await monitor.stop();
});

test("SupportsFeature: what the engine of @pulumi/pulumi 3.248 supports, and nothing else", async () => {
    const asked = ["secrets", "resourceReferences", "outputValues", "deletedWith", "replaceWith", "aliasSpecs", "transforms", "invokeTransforms", "parameterization", "resourceHooks", "errorHooks", "somethingNew"];
    const answers: [string, unknown][] = [];
    for (const id of asked) {
        const request = new resproto.SupportsFeatureRequest();
        request.setId(id);
        answers.push([id, (await call(client, "supportsFeature", request)).response.getHassupport()]);
    }
    expect(answers).toEqual(asked.map((id) => [id, id !== "somethingNew"]));
});

test("RegisterResource as a preview answers a create: the engine's URN, no id (unknown), the inputs as the outputs; the stack is not a resource of the plan", async () => {
    const stack = await call(client, "registerResource", registration(ROOT_STACK_TYPE, "p-dev", "", {}, false));
    const stackUrn = stack.response.getUrn();
    expect(stackUrn).toBe("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev");
    const component = await call(client, "registerResource", registration("pkg:index:Share", "share", stackUrn as string, {}, false));
    expect(component.response.getUrn()).toBe("urn:pulumi:dev::p::pkg:index:Share::share");
    const inputs = { roleName: "r", secret: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s" }, later: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
    const child = await call(client, "registerResource", registration("alicloud:ram/role:Role", "share-role", component.response.getUrn() as string, inputs));
    expect([child.error, child.response.getUrn(), child.response.getId(), (child.response.getObject() as { toJavaScript(): unknown }).toJavaScript()]).toEqual([
        null,
        "urn:pulumi:dev::p::pkg:index:Share$alicloud:ram/role:Role::share-role",
        "",
        inputs,
    ]);
    expect(monitor.resources.map((r) => [r.type, r.name, r.parent, r.custom, r.inputs])).toEqual([
        ["pkg:index:Share", "share", "", false, {}],
        ["alicloud:ram/role:Role", "share-role", "urn:pulumi:dev::p::pkg:index:Share::share", true, inputs],
    ]);
    // A second registration of a URN is refused and noted; the first stays.
    const again = await call(client, "registerResource", registration("alicloud:ram/role:Role", "share-role", component.response.getUrn() as string, { roleName: "benign" }));
    expect(again.error?.details).toBe("Duplicate resource URN 'urn:pulumi:dev::p::pkg:index:Share$alicloud:ram/role:Role::share-role'; try giving it a unique name");
    expect(monitor.resources.map((r) => r.inputs.roleName)).toEqual([undefined, "r"]);
    expect(monitor.problems).toHaveLength(1);
    // The runner's end: the stack's outputs, the shutdown signal.
    const outputs = new resproto.RegisterResourceOutputsRequest();
    outputs.setUrn(stackUrn);
    await call(client, "registerResourceOutputs", outputs);
    await call(client, "signalAndWaitForShutdown", new Empty());
    expect([monitor.stackOutputsRegistered(), monitor.shutdownSignaled()]).toEqual([true, true]);
});

test("Invoke answers the two data sources the components call, for the stack's account and the provider's region, and refuses any other", async () => {
    const invoke = (tok: string, provider = "") => {
        const request = new resproto.ResourceInvokeRequest();
        request.setTok(tok);
        request.setArgs(Struct.fromJavaScript({}));
        request.setProvider(provider);
        return call(client, "invoke", request);
    };
    const identity = await invoke("alicloud:index/getCallerIdentity:getCallerIdentity");
    expect((identity.response.getReturn() as { toJavaScript(): unknown }).toJavaScript()).toEqual({ accountId: "1234567890123456", arn: "acs:ram::1234567890123456:root", id: "1234567890123456", identityType: "Account" });
    await call(client, "registerResource", registration("pulumi:providers:alicloud", "beijing", "", { region: "cn-beijing" }));
    const regions = await invoke("alicloud:index/getRegions:getRegions", "urn:pulumi:dev::p::pulumi:providers:alicloud::beijing::04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    expect((regions.response.getReturn() as { toJavaScript(): { ids: string[] } }).toJavaScript().ids).toEqual(["cn-beijing"]);
    expect((await invoke("alicloud:ecs/getImages:getImages")).error?.details).toBe("the offline preview does not answer the data source alicloud:ecs/getImages:getImages");
});

test("the engine log is recorded, each message with its severity and resource", async () => {
    const log = (severity: number, message: string, urn: string) => {
        const request = new engproto.LogRequest();
        request.setSeverity(severity);
        request.setMessage(message);
        request.setUrn(urn);
        return call(engine, "log", request);
    };
    await log(engproto.LogSeverity.WARNING, "careful", "urn:x");
    await log(engproto.LogSeverity.ERROR, "failed", "");
    expect(monitor.logs.slice(-2)).toEqual([
        { severity: "warning", message: "careful", urn: "urn:x" },
        { severity: "error", message: "failed", urn: "" },
    ]);
});


/** A program's folder with real files: a position must name a source file there and a line and column in it. */
const APP = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "app-")));
for (const [file, lines] of [["prog/index.js", 10], ["prog/index.ts", 15], ["prog/lib/roles.js", 10], ["prog/src/a.ts", 5], ["prog/a.ts", 5], ["prog/Pulumi.yaml", 5], ["prog (2024)/infra/index.js", 5]] as const) {
    fs.mkdirSync(path.dirname(path.join(APP, file)), { recursive: true });
    fs.writeFileSync(path.join(APP, file), Array.from({ length: lines }, (_, i) => `// line ${i + 1} of this file, long enough`).join("\n"));
}
afterAll(() => fs.rmSync(APP, { recursive: true, force: true }));

describe("what the runner reports, read back for people", () => {
    test("no escape sequence or control character of the program's text reaches the report (nothing can garble a terminal)", () => {
        expect(plainText("\u001b[31mred\u001b[39m \u001b]0;title\u0007bell\u0007 tab\tnew\nline \u009b2J\u0000")).toBe("red bell tab\tnew\nline ");
    });
    test("an unhandled error: its message and the first frame in the program's folder, outside node_modules", () => {
        const logged =
            `Running program '${APP}/prog/index.js' failed with an unhandled exception:\n` +
            `Error: cannot reach the inventory\n    at inner (${APP}/prog/node_modules/lib/x.js:1:1)\n    at Object.<anonymous> \u001b[90m(${APP}/prog/\u001b[39mindex.js:3:9\u001b[90m)\u001b[39m\n` +
            "\u001b[90m    at Module._compile (node:internal/modules/cjs/loader:1521:14)\u001b[39m {\n  code: 'E_INVENTORY'\n}";
        expect(describeLoggedError(logged, `${APP}/prog`)).toBe("cannot reach the inventory\n    at index.js:3:9");
        expect(describeLoggedError("a message the program logged itself", `${APP}/prog`)).toBe("a message the program logged itself");
    });
    test("findings in an error's text: a component's argument error, a deploy-time check's, and nothing else", () => {
        const refusal =
            'InputPropertiesError: SharedSnapshot "backups" has 2 invalid arguments:\n' +
            '  - accountIds[0]: [C1] "12345" is not an account id. Give one. (rule principal-format)\n' +
            "  - region: [C19, C20] a region. Another one. (rule encrypted-image-region)\n    at throwIfInvalid (/x.js:1:1)";
        expect(findingsInText(refusal)).toEqual([
            { ruleId: "principal-format", constraints: ["C1"], text: '[C1] "12345" is not an account id. Give one. (rule principal-format)', message: '"12345" is not an account id. Give one.', path: "accountIds[0]", component: { className: "SharedSnapshot", name: "backups" } },
            { ruleId: "encrypted-image-region", constraints: ["C19", "C20"], text: "[C19, C20] a region. Another one. (rule encrypted-image-region)", message: "a region. Another one.", path: "region", component: { className: "SharedSnapshot", name: "backups" } },
        ]);
        expect(findingsInText("snapshotIds[0]: [C5, C16] [secret] is not a snapshot id (s-…). Give the ids. (rule resource-id-format)")).toEqual([
            { ruleId: "resource-id-format", constraints: ["C5", "C16"], text: "[C5, C16] [secret] is not a snapshot id (s-…). Give the ids. (rule resource-id-format)", message: "[secret] is not a snapshot id (s-…). Give the ids.", path: "snapshotIds[0]" },
        ]);
        expect(findingsInText("Error: something else\n    at x (/x.js:1:1)")).toBeUndefined();
        expect(findingsInText('SharedSnapshot "b" has 1 invalid argument:\n  - a: [C1] x (rule r)\nand a line of the program')).toBeUndefined();
    });
});

describe("where the program constructed each resource (source positions)", () => {
    const PROGRAM = `${APP}/prog`;
    const position = (uri: string, line: number, column: number) => {
        const p = new sourceproto.SourcePosition();
        p.setUri(uri);
        p.setLine(line);
        p.setColumn(column);
        return p;
    };
    /** A registration with the position and stack trace the Node SDK sends (the frames of `new Resource` up). */
    const placed = (name: string, parent: string, at: unknown, frames: unknown[], custom = true) => {
        const request = registration(custom ? "alicloud:ram/role:Role" : "pkg:index:Share", name, parent, {}, custom);
        request.setSourceposition(at);
        const trace = new sourceproto.StackTrace();
        trace.setFramesList(
            frames.map((pc) => {
                const frame = new sourceproto.StackFrame();
                frame.setPc(pc);
                return frame;
            }),
        );
        request.setStacktrace(trace);
        return request;
    };

    test("kept per registration: its own position in the program, else the first frame in the program, else its parent's; nothing the program sends outside it", async () => {
        const placing = await startMonitor({ project: "p", stack: "dev", accountId: "1234567890123456", region: "cn-shanghai", programDir: PROGRAM });
        const to = new resrpc.ResourceMonitorClient(placing.address, grpc.credentials.createInsecure());
        try {
            const stack = (await call(to, "registerResource", registration(ROOT_STACK_TYPE, "p-dev", "", {}, false))).response.getUrn() as string;
            const library = position(`file://${APP}/prog/node_modules/alicloud-sharing/dist/share.js`, 40, 9);
            const component = await call(to, "registerResource", placed("share", stack, library, [library, position(`file://${APP}/prog/index.ts`, 12, 5)], false));
            const urn = component.response.getUrn() as string;
            // A child made inside the component (in the package), its stack down to the program's line.
            await call(to, "registerResource", placed("inside", urn, library, [library, position(`file://${APP}/prog/index.ts`, 12, 5)]));
            // A child made later (in an apply): no frame of the program; its parent's position.
            await call(to, "registerResource", placed("later", urn, library, [library]));
            // Forged positions, each refused: outside the folder, not a file: URI, not a whole line or column from 1.
            await call(to, "registerResource", placed("outside", urn, position("file:///etc/passwd", 1, 1), [position(`file://${APP}/prog/../secret/x.js`, 2, 2)]));
            await call(to, "registerResource", placed("not-a-file", urn, position("https://example.com/index.js", 3, 3), [position(`${APP}/prog/index.js`, 3, 3)]));
            await call(to, "registerResource", placed("zero", urn, position(`file://${APP}/prog/index.js`, 0, 4), [position(`file://${APP}/prog/index.js`, -1, 1), position(`file://${APP}/prog/index.js`, 7, 0)]));
            // A raw resource of the program itself.
            await call(to, "registerResource", placed("raw", stack, position(`file://${APP}/prog/lib/roles.js`, 8, 3), []));
            expect(placing.resources.map((r) => [r.name, r.source])).toEqual([
                ["share", { file: "index.ts", line: 12, column: 5 }],
                ["inside", { file: "index.ts", line: 12, column: 5 }],
                ["later", { file: "index.ts", line: 12, column: 5 }],
                ["outside", { file: "index.ts", line: 12, column: 5 }],
                ["not-a-file", { file: "index.ts", line: 12, column: 5 }],
                ["zero", { file: "index.ts", line: 12, column: 5 }],
                ["raw", { file: "lib/roles.js", line: 8, column: 3 }],
            ]);
        } finally {
            to.close();
            await placing.stop();
        }
    });

    test("a position is the program's only inside its folder and outside node_modules, with a whole line and column from 1", () => {
        expect(programPosition(`file://${APP}/prog/src/a.ts`, 3, 7, PROGRAM)).toEqual({ file: "src/a.ts", line: 3, column: 7 });
        for (const [uri, line, column] of [
            [`file://${APP}/prog`, 1, 1],
            [`file://${APP}/program/a.ts`, 1, 1],
            [`file://${APP}/prog/node_modules/x/a.js`, 1, 1],
            [`file://${APP}/prog/a.ts`, 1.5, 1],
            [`file://${APP}/prog/a.ts`, 1, Number.NaN],
            [`file://${APP}/prog/a.ts`, Number.MAX_SAFE_INTEGER + 2, 1],
            ["file://host/app/prog/a.ts", 1, 1],
            ["node:internal/x", 1, 1],
            [42, 1, 1],
            // Not a file of the program's source that exists, or not a line and column in it.
            [`file://${APP}/prog/missing.js`, 1, 1],
            [`file://${APP}/prog/Pulumi.yaml`, 1, 1],
            [`file://${APP}/prog/index.js`, 11, 1],
            [`file://${APP}/prog/index.js`, 1, 400],
            [`file://${APP}/prog/file:${APP}/prog/index.js`, 1, 1],
            [`file://${APP}/prog/a%0A%20%20%5Bmandatory%5D.js`, 1, 1],
            // This package's own source or build inside the program's folder (the repository's own program).
            [`file://${path.resolve(__dirname, "..", "..", "src", "components", "share.ts")}`, 1, 1],
        ] as const) {
            expect([uri, line, column, programPosition(uri, line, column, PROGRAM)]).toEqual([uri, line, column, undefined]);
        }
    });

    test("an error's stack: the first frame in the program, named or anonymous; none when no frame is the program's", () => {
        const stack = `Error: no\n    at throwIfInvalid (${APP}/prog/node_modules/alicloud-sharing/dist/common.js:1:1)\n    at new SharedSnapshot (/lib/x.js:2:2)\n    at ${APP}/prog/index.ts:9:14\n    at Object.<anonymous> (${APP}/prog/index.ts:12:1)`;
        expect(stackPosition(stack, PROGRAM)).toEqual({ file: "index.ts", line: 9, column: 14 });
        expect(stackPosition(`Error: no\n    at x (/elsewhere/index.js:1:1)\n    at ${APP}/prog/index.js:0:3`, PROGRAM)).toBeUndefined();
        // A folder whose name holds " (": the frame is read whole.
        const paren = `${APP}/prog (2024)/infra`;
        expect(stackPosition(`Error: no\n    at f (${paren}/index.js:4:7)\n    at ${paren}/index.js:5:1`, paren)).toEqual({ file: "index.js", line: 4, column: 7 });
        expect(stackPosition(`Error: no\n    at ${paren}/index.js:5:2`, paren)).toEqual({ file: "index.js", line: 5, column: 2 });
    });
});
