/**
 * The policy pack as the Pulumi CLI runs it: `policypack/` in a folder of its own whose node_modules holds
 * `alicloud-sharing` (this repository, built) and the Pulumi SDKs, started with `@pulumi/pulumi`'s
 * `cmd/run-policy-pack`, and an analyzer gRPC client on the port it prints.
 */
import { ChildProcess, spawn } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as grpc from "@grpc/grpc-js";

const root = join(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { Empty } = require("google-protobuf/google/protobuf/empty_pb.js");

export interface RunningPack {
    readonly client: any;
    readonly port: number;
    /** Calls an RPC and resolves with its response. */
    call<T = any>(method: string, request: unknown): Promise<T>;
    stop(): Promise<void>;
}

/** Lays out the pack the way `pulumi policy publish` and the CLI see it, and starts it. */
export async function startPolicyPack(): Promise<RunningPack> {
    const dir = mkdtempSync(join(tmpdir(), "alicloud-sharing-pack-"));
    for (const file of ["index.ts", "package.json", "tsconfig.json", "PulumiPolicy.yaml"]) {
        cpSync(join(root, "policypack", file), join(dir, file));
    }
    mkdirSync(join(dir, "node_modules", "@pulumi"), { recursive: true });
    mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
    symlinkSync(root, join(dir, "node_modules", "alicloud-sharing"));
    for (const pkg of ["@pulumi/policy", "@pulumi/pulumi", "@pulumi/alicloud", "typescript", "ts-node", "@types/node"]) {
        symlinkSync(join(root, "node_modules", pkg), join(dir, "node_modules", pkg));
    }
    const child: ChildProcess = spawn(process.execPath, [join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:1", "."], {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`the pack printed no port in 60 s; stderr: ${stderr}`)), 60_000);
        child.stdout!.on("data", (d) => {
            out += d;
            const m = out.match(/^(\d+)\s*$/m);
            if (m) {
                clearTimeout(timer);
                resolve(Number(m[1]));
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the pack exited with ${code} before printing its port; stderr: ${stderr}`));
        });
    });
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
        client,
        port,
        call: (method, request) =>
            new Promise((resolve, reject) => client[method](request, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res as never)))),
        stop: async () => {
            client.close();
            if (child.exitCode === null) {
                const exited = new Promise((r) => child.once("exit", r));
                child.kill("SIGTERM");
                await exited;
            }
            rmSync(dir, { recursive: true, force: true });
        },
    };
}
