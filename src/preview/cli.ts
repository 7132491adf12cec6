#!/usr/bin/env node
/**
 * alicloud-sharing preview [program-dir] [--stack NAME | --config FILE] [--policy-config FILE]
 *                          [--format text|json|sarif] [--map mermaid] [--account ID]
 *
 * Exit code 0 when no mandatory violation, 1 when any, 2 when the program (or its files) failed.
 */
import * as path from "path";
import { rawResources } from "./resources";
import { sharingMap } from "./map";
import { renderJson, renderMermaid, renderSarif, renderText } from "./render";
import { PreviewSetupError, exitCodeOf, runPreview } from "./run";

const USAGE =
    "usage: alicloud-sharing preview [program-dir] [--stack NAME | --config FILE] [--policy-config FILE] [--format text|json|sarif] [--map mermaid] [--account ID]";

interface Args {
    programDir: string;
    stack?: string;
    configFile?: string;
    policyConfigFile?: string;
    format: "text" | "json" | "sarif";
    map?: "mermaid";
    accountId?: string;
}

/** Parses the arguments; throws with the usage on anything it does not know. */
export function parseArgs(argv: readonly string[]): Args {
    const [command, ...rest] = argv;
    if (command !== "preview") {
        throw new PreviewSetupError(USAGE);
    }
    const args: Args = { programDir: ".", format: "text" };
    const positional: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const flag = rest[i];
        const value = () => {
            const v = rest[++i];
            if (v === undefined) {
                throw new PreviewSetupError(`${flag} needs a value\n${USAGE}`);
            }
            return v;
        };
        switch (flag) {
            case "--stack":
                args.stack = value();
                break;
            case "--config":
                args.configFile = path.resolve(value());
                break;
            case "--policy-config":
                args.policyConfigFile = path.resolve(value());
                break;
            case "--account":
                args.accountId = value();
                break;
            case "--format": {
                const f = value();
                if (f !== "text" && f !== "json" && f !== "sarif") {
                    throw new PreviewSetupError(`--format takes text, json or sarif, not ${f}`);
                }
                args.format = f;
                break;
            }
            case "--map": {
                const m = value();
                if (m !== "mermaid") {
                    throw new PreviewSetupError(`--map takes mermaid, not ${m}`);
                }
                args.map = m;
                break;
            }
            default:
                if (flag.startsWith("-")) {
                    throw new PreviewSetupError(`unknown option ${flag}\n${USAGE}`);
                }
                positional.push(flag);
        }
    }
    if (args.stack !== undefined && args.configFile !== undefined) {
        throw new PreviewSetupError("give --stack or --config, not both");
    }
    if (positional.length > 1) {
        throw new PreviewSetupError(USAGE);
    }
    args.programDir = positional[0] ?? ".";
    return args;
}

export async function main(argv: readonly string[]): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(argv);
        const result = await runPreview(args);
        const map = sharingMap(rawResources(result.resources), result.accountId, result.region);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const version: string = require("../../package.json").version;
        const out = args.format === "json" ? renderJson(result, map) : args.format === "sarif" ? renderSarif(result, version) : renderText(result, map);
        process.stdout.write(`${out}\n`);
        if (args.map === "mermaid") {
            process.stdout.write(`\n${renderMermaid(map)}\n`);
        }
        if (result.programError !== undefined) {
            process.stderr.write(`error: the program failed: ${result.programError}\n`);
        }
        return exitCodeOf(result);
    } catch (e) {
        process.stderr.write(`error: ${e instanceof PreviewSetupError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            // The mock runtime keeps promises of failed programs open; the verdict is final here.
            process.exit(code);
        },
        (e) => {
            process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exit(2);
        },
    );
}
