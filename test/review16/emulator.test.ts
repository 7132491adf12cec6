/**
 * Review (issue 16), the emulator published for users' own tests (alicloud-sharing/testing): what a user's code may
 * send it. Each test names the defect and asserts the correct behaviour; each fails on 791db5f.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import Credential, { StaticSTSCredentialsProvider } from "@alicloud/credentials";
import * as ecsModels from "@alicloud/ecs20140526";
import { auditContext, rpc } from "../../src/audit/clients";
import { apiSettings } from "../../src/sdk/settings";
import { RECOVERY_ACCOUNT_ID, loadOrganization } from "../../src/testing/organization";
import { startEmulator } from "../support/emulator";
import { AUDIT_ENV } from "../audit/fixture";

test("a malformed parameter (SnapshotIds that is not JSON) is an API error answered, not an uncaught exception in the emulator's process", async () => {
    // The emulator as a user runs it (the built package), in a process of its own: a crash there cannot take this one down.
    const emulatorModule = path.join(__dirname, "..", "..", "dist", "testing", "emulator.js");
    const child: ChildProcess = spawn(
        process.execPath,
        ["-e", `require(${JSON.stringify(emulatorModule)}).startEmulator().then((e) => console.log(e.endpoint));`],
        { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
        const endpoint = await new Promise<string>((resolve) => child.stdout!.once("data", (d) => resolve(String(d).trim())));
        const ctx = auditContext(apiSettings({ env: AUDIT_ENV, region: "cn-hangzhou", endpoint, maxRetries: 0, timeoutMs: 3_000 }), 1);
        const answer = await ctx
            .ecs("cn-hangzhou")
            .describeSnapshots(new ecsModels.DescribeSnapshotsRequest({ regionId: "cn-hangzhou", snapshotIds: "s-notjson" }))
            .then(
                () => "answered 200",
                (e: { code?: string; statusCode?: number; message?: string }) => `${e.statusCode ?? "no answer"} ${e.code ?? e.message}`,
            );
        const alive = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 200))]);
        // Defect: "SyntaxError: Unexpected token 's', "s-notjson" is not valid JSON" thrown from the request handler: the
        // process exits (a test using it dies with it) and the request is never answered (ReadTimeout).
        expect({ answer: /^400 /.test(answer), alive, stderr: stderr.includes("SyntaxError") }).toEqual({ answer: true, alive: true, stderr: false });
    } finally {
        child.kill();
    }
});

test("a session policy's Deny is honoured: the session cannot call the action it denies", async () => {
    const emulator = await startEmulator();
    try {
        loadOrganization(emulator);
        const ctx = auditContext(apiSettings({ env: AUDIT_ENV, region: "cn-hangzhou", endpoint: emulator.endpoint, maxRetries: 0 }), 4);
        const body = await rpc(ctx, "sts", "cn-hangzhou", "AssumeRole", "recovery", {
            RoleArn: `acs:ram::${RECOVERY_ACCOUNT_ID}:role/ResourceDirectoryAccountAccessRole`,
            RoleSessionName: "review16",
            Policy: JSON.stringify({
                Version: "1",
                Statement: [
                    { Effect: "Allow", Action: ["ecs:Describe*"], Resource: "*" },
                    { Effect: "Deny", Action: ["ecs:DescribeRegions"], Resource: "*" },
                ],
            }),
        });
        const c = body.Credentials as Record<string, string>;
        const session = ctx.withCredential(new Credential(null, StaticSTSCredentialsProvider.builder().withAccessKeyId(c.AccessKeyId).withAccessKeySecret(c.AccessKeySecret).withSecurityToken(c.SecurityToken).build()));
        await expect(session.ecs("cn-shanghai").describeImages(new ecsModels.DescribeImagesRequest({ regionId: "cn-shanghai" }))).resolves.toBeDefined();
        // Defect: served: the emulator reads only the Allow statements of a session policy.
        await expect(session.ecs("cn-shanghai").describeRegions(new ecsModels.DescribeRegionsRequest({}))).rejects.toMatchObject({ code: "Forbidden.RAM" });
    } finally {
        await emulator.stop();
    }
});
