#!/usr/bin/env node
/**
 * The `alicloud-sharing` command, with one argument parser for all of it: `preview` runs a Pulumi program offline and
 * judges it with the policy pack; `audit` reads an account's (or a resource directory's) sharing and judges it; `org
 * export` writes the organization file; `emulator` serves the emulator the audit can be tried on. `alicloud-sharing
 * --help` and `<command> --help` describe each option, the exit codes and an example. Every report renders from the
 * one report model (src/report), in text, JSON, SARIF or HTML, with the Mermaid map beside text or JSON.
 *
 * Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the command could not run.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DEFAULT_MAX_TIME_SECONDS, DEFAULT_TIMEOUT_SECONDS } from "../preview/verdicts";
import { terminalLines } from "../report/safe";
import { CliIo, VERSION, processIo } from "./io";

// The commands' modules (the SDKs, the policies, the renderers) load when a command runs: help, version and usage
// errors answer at once.

export type { CliIo } from "./io";

const EXIT_CODES = `
Exit codes:
  0  no mandatory violation
  1  a mandatory violation (a component refused its arguments, or a policy's mandatory rule failed)
  2  the command could not run: a bad option, file or config, a program error or type error, a time-out`;

const AUDIT_EXIT_CODES = `
Exit codes:
  0  no mandatory violation in what the account shares
  1  a mandatory violation (a policy's mandatory rule failed on what the account shares)
  2  the audit could not run (a bad option or file, no credentials, an API error, pages that do not add up, a time-out
     or the deadline), or could not read everything it was answered (the report says what) and found no mandatory violation`;

/** The reports' help, for a command whose plan is what it would make (preview) or what it read (audit). */
const reportHelp = (plan: string) => `
Reports:
  --format text   for people: ${plan}, verdicts of one rule grouped (--verbose lists every one), the sharing map by directory and folder
  --format json   for tools: ${plan}, the verdicts, the sharing graph, what each recipient can use
  --format sarif  for code scanning (SARIF 2.1.0)
  --format html   one self-contained page (no network, a strict Content-Security-Policy): open it in a browser
  --html FILE     also write that page to FILE, whatever --format prints
  --map mermaid   the sharing map as a Mermaid flowchart, after the text or as the JSON's "mermaid" key;
                  --map mermaid-md puts it in a Markdown fence`;

const positiveInteger = (name: string, max: number) => (value: string): number => {
    const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > max) {
        throw new InvalidArgumentError(`${name} takes a whole number from 1 to ${max}.`);
    }
    return n;
};

const portNumber = (value: string): number => {
    const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n > 65_535) {
        throw new InvalidArgumentError("A port is a whole number from 0 to 65535.");
    }
    return n;
};

const accountId = (value: string): string => {
    if (!/^[0-9]{16}$/.test(value)) {
        throw new InvalidArgumentError("An Alibaba Cloud account id is 16 digits.");
    }
    return value;
};

/** A list option: repeatable, each value split at commas. */
const commaList = (v: string, all: string[]) => [...all, ...v.split(",").map((r) => r.trim()).filter((r) => r !== "")];

/** The options every report takes: its format, the map, the page beside it, and how much text shows. */
function withReportOptions(command: Command): Command {
    return command
        .addOption(new Option("-f, --format <format>", "the report's format").choices(["text", "json", "sarif", "html"]).default("text"))
        .addOption(new Option("--map <kind>", "also print the sharing map as a Mermaid flowchart (mermaid-md: in a Markdown fence)").choices(["mermaid", "mermaid-md"]))
        .option("--html <file>", "also write the report as one self-contained HTML page to this file")
        .option("--verbose", "text: list every subject of a grouped verdict and every account of a folder");
}

/** The command line, its commands and options; each action stores its exit code in `exit`. */
export function cli(io: CliIo = processIo, options: { readonly env?: Readonly<Record<string, string | undefined>> } = {}): { program: Command; exit: { code: number } } {
    const exit = { code: 0 };
    const withEnv: CliIo = { ...io, ...(options.env === undefined ? {} : { env: options.env }) };
    const program = new Command("alicloud-sharing")
        .description("Share Alibaba Cloud ECS snapshots and images across accounts and resource directories: preview a Pulumi program offline, audit an account, or serve an emulator to try the audit on.")
        .version(VERSION, "-v, --version", "print the version")
        .helpOption("-h, --help", "print this help")
        .showSuggestionAfterError(true)
        .showHelpAfterError("(alicloud-sharing --help lists the commands; alicloud-sharing <command> --help describes its options)")
        .exitOverride()
        .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
        .addHelpText("after", `${EXIT_CODES}\n\nExamples:\n  $ npx alicloud-sharing preview . --stack dev\n  $ npx alicloud-sharing audit --region cn-shanghai --format sarif > audit.sarif`);

    const preview = program
        .command("preview")
        .showHelpAfterError("(alicloud-sharing preview --help describes every option)")
        .summary("run a Pulumi program offline and judge what it registers with the policy pack")
        .description(
            "Runs the Pulumi program in PROGRAM-DIR with its own @pulumi/pulumi language runner, as pulumi preview runs it (TypeScript type-checked, " +
                "ES modules, its stack config), against a resource monitor this command serves, with a time limit, and judges every resource it " +
                "registers with the pack's policies, in this process. Prints the plan, the verdicts and the sharing map. No Pulumi CLI, no cloud account, " +
                "no credentials.",
        )
        .argument("[program-dir]", "the folder holding Pulumi.yaml", ".")
        .option("-s, --stack <name>", "the stack whose Pulumi.<name>.yaml holds the config (default: the only stack file, else none and stack dev)")
        .option("-c, --config <file>", "a stack config file to use instead of the stack's")
        .option("-p, --policy-config <file>", "the policy pack config, JSON by policy name as pulumi preview --policy-pack-config takes it (default: the stack's alicloud-sharing:policyConfig)");
    withReportOptions(preview)
        .option("--account <id>", "the account the default provider reports (default: the stack's alicloud-sharing:previewAccountId, else 1000000000000000)", accountId)
        .option("--timeout <seconds>", "stop a program that has made no progress for this long: it neither worked nor called the engine (exit 2)", positiveInteger("--timeout", 86_400), DEFAULT_TIMEOUT_SECONDS)
        .option("--max-time <seconds>", "stop a program still running after this long in all, an endless loop too (exit 2)", positiveInteger("--max-time", 604_800), DEFAULT_MAX_TIME_SECONDS)
        .option("--transpile-only", "compile TypeScript without checking types (as PULUMI_NODEJS_TRANSPILE_ONLY=true does for pulumi)")
        .addHelpText(
            "after",
            `${EXIT_CODES}\n${reportHelp("the plan")}\n\nExamples:\n  $ npx alicloud-sharing preview . --stack dev --format sarif > preview.sarif\n  $ npx alicloud-sharing preview . --html report.html`,
        )
        .action(async (programDir: string, flags) => {
            const { previewCommand } = await import("./preview");
            exit.code = await previewCommand(programDir, flags, withEnv);
        });

    const audit = program
        .command("audit")
        .showHelpAfterError("(alicloud-sharing audit --help describes every option)")
        .summary("read an account's snapshot and image sharing and judge it with the policy pack")
        .description(
            "Reads, with read-only API calls and the default Alibaba Cloud credential chain, what the account shares (resource shares, image " +
                "permissions, share roles, KMS keys) and judges it with the pack's policies; with --intended, also what differs from a preview or stack export.",
        )
        .addOption(new Option("-r, --region <regions>", "a region to read, or several separated by commas; repeatable").argParser(commaList).default([] as string[], "every region the account has"));
    withReportOptions(audit)
        .addOption(
            new Option("--intended <file>", "a preview's JSON report or a stack export: report the drift from it (with --directory, repeatable: the shares no stack declares)")
                .argParser((v: string, all: string[]) => [...all, v])
                .default([] as string[]),
        )
        .option("-p, --policy-config <file>", "the policy pack config, JSON by policy name")
        .option("--endpoint <host:port>", "send every request to this endpoint (an emulator), over HTTP")
        .addOption(new Option("--concurrency <n>", "requests in flight at once").argParser(positiveInteger("--concurrency", 64)).default(8))
        .addOption(new Option("--request-timeout <seconds>", "how long one request waits for its answer (each retry again)").argParser(positiveInteger("--request-timeout", 3_600)).default(30))
        .addOption(new Option("--deadline <seconds>", "how long the whole audit may take; past it, exit 2 saying what it was waiting for").argParser(positiveInteger("--deadline", 86_400)).default(300))
        .option("--directory", "audit the whole resource directory of the credential's account (its management account): every member, through its access role")
        .option("--access-role <name>", "with --directory: the role assumed in each member (default ResourceDirectoryAccountAccessRole)")
        .addOption(new Option("--account-concurrency <n>", "with --directory: accounts read at once (their requests share --concurrency)").argParser(positiveInteger("--account-concurrency", 64)))
        .addOption(new Option("--removing <id>", "with --directory: a share (rs-…) or image (m-…) about to be removed: report who loses what; repeatable").argParser(commaList).default([] as string[]))
        .addHelpText(
            "after",
            `${AUDIT_EXIT_CODES}\n${reportHelp("the resources read")}\n\nProgress (requests, list items) is shown on stderr when it is a terminal.\n\n` +
                "Examples:\n  $ npx alicloud-sharing audit --region cn-shanghai,cn-beijing --format json > audit.json\n" +
                "  $ npx alicloud-sharing audit --directory --intended prod.json --removing rs-drbackups01 --html organization.html",
        )
        .action(async (flags) => {
            const { auditCommand } = await import("./audit");
            exit.code = await auditCommand({ ...flags, regions: flags.region }, withEnv);
        });

    const org = program.command("org").summary("the organization: export the resource directory as the organization file");
    org.command("export")
        .summary("read the resource directory (read only) and write the organization file the components, the pack and the audit read")
        .description(
            "Reads, with read-only API calls of the directory's management account, the resource directory: its folders and member accounts. " +
                "Writes them as the organization file (YAML or JSON), checked against its schema before it is written. The allow-list and account sites " +
                "of the file it replaces are kept. Without --output, prints it.",
        )
        .option("-o, --output <file>", "write the file here (its allowedRecipients and accountSites are kept); default: print it")
        .addOption(new Option("-f, --format <format>", "yaml or json (default: json for an output ending in .json, else yaml)").choices(["yaml", "json"]))
        .option("--endpoint <host:port>", "send every request to this endpoint (an emulator), over HTTP")
        .addOption(new Option("--concurrency <n>", "requests in flight at once").argParser(positiveInteger("--concurrency", 64)).default(8))
        .addOption(new Option("--request-timeout <seconds>", "how long one request waits for its answer").argParser(positiveInteger("--request-timeout", 3_600)).default(30))
        .addOption(new Option("--deadline <seconds>", "how long the whole export may take").argParser(positiveInteger("--deadline", 86_400)).default(300))
        .addHelpText("after", "\nExit codes:\n  0  written (or printed)\n  2  not written: a bad option, no credentials, an API error, a directory not read whole, an invalid file\n\nExample:\n  $ npx alicloud-sharing org export --output organization.yaml")
        .action(async (flags) => {
            const { orgExportCommand } = await import("./org");
            exit.code = await orgExportCommand(flags, withEnv);
        });

    program
        .command("emulator")
        .summary("serve a local emulator of the Alibaba Cloud APIs the audit reads, with a demo account, for trying the audit")
        .description(
            "Starts, on 127.0.0.1, the emulator the package's tests use (alicloud-sharing/testing): the read-only ECS, Resource Sharing, RAM, KMS and STS " +
                "actions the audit calls, signatures checked, over an emulated account (not a real one). Prints the shell lines that point the audit at it " +
                "(the endpoint and the emulator's AccessKey pair) on stdout, and stays up until interrupted (Ctrl-C).",
        )
        .addOption(new Option("--fixture <name>", "what it serves: demo (the README's audit example), organization (the demo account as the management account of a resource directory with four members), or empty").choices(["demo", "organization", "empty"]).default("demo"))
        .addOption(new Option("--port <n>", "the port to listen on (0: any free port)").argParser(portNumber).default(0))
        .option("--intended <file>", "also write the demo account's stack, as `alicloud-sharing preview --format json` reports it, to this file (for audit --intended)")
        .addHelpText("after", "\nExample:\n  $ npx alicloud-sharing emulator --fixture demo --port 8790 --intended preview.json")
        .action(async (flags: { fixture: "demo" | "organization" | "empty"; port: number; intended?: string }) => {
            const { serveEmulator } = await import("../testing/serve");
            exit.code = await serveEmulator({ fixture: flags.fixture, port: flags.port, intendedFile: flags.intended }, io);
        });
    return { program, exit };
}

/** Runs the command line; the exit code. Help and version exit 0; a usage error exits 2. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
    const { program, exit } = cli(io);
    if (argv.length === 0) {
        io.stderr(program.helpInformation());
        return 2;
    }
    try {
        await program.parseAsync([...argv], { from: "user" });
        return exit.code;
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.exitCode !== 0) {
                await usageErrorDocument(argv, e.message, io);
            }
            return e.exitCode === 0 ? 0 : 2;
        }
        io.stderr(`error: ${terminalLines(e instanceof Error ? e.message : String(e))}\n`);
        return 2;
    }
}

/**
 * A usage error (a bad option, a bad value) of `preview` or `audit` is a document too, as every other failure is: the
 * JSON or SARIF document asked for, the page asked for (`--format html`, `--html FILE`). The error is on stderr already
 * (commander wrote it); the format and the page's file are read from the arguments as given.
 */
async function usageErrorDocument(argv: readonly string[], message: string, io: CliIo): Promise<void> {
    const tool = argv[0];
    if (tool !== "preview" && tool !== "audit") {
        return;
    }
    let format: string | undefined;
    let html: string | undefined;
    for (let i = 1; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--") {
            break;
        }
        if ((arg === "--format" || arg === "-f") && i + 1 < argv.length) {
            format = argv[++i];
        } else if (arg.startsWith("--format=")) {
            format = arg.slice("--format=".length);
        } else if (arg === "--html" && i + 1 < argv.length && !argv[i + 1].startsWith("-")) {
            html = argv[++i];
        } else if (arg.startsWith("--html=") && arg.length > "--html=".length) {
            html = arg.slice("--html=".length);
        }
    }
    const { usageFailureDocument } = await import("./report");
    await usageFailureDocument(tool, { format, ...(html === undefined ? {} : { html }) }, message.replace(/^error: /, ""), io);
}

/**
 * Exits once everything written has reached its reader: a pipe takes 64 KiB at a time, and `process.exit` drops what
 * is still queued (a SARIF log cut in the middle). The exit itself is explicit: an SDK's idle connections must not
 * keep the command alive.
 */
export function exitAfterOutput(code: number): void {
    process.exitCode = code;
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

/** Runs the command of this process's arguments, and exits with its code once its output is out. */
export function runAsCommand(): void {
    // A reader that stops reading (`| head -1`) ends the command quietly, as other commands do, not with a stack trace.
    for (const stream of [process.stdout, process.stderr]) {
        stream.on("error", (e: NodeJS.ErrnoException) => {
            if (e.code === "EPIPE") {
                process.exit(process.exitCode ?? 0);
            }
            throw e;
        });
    }
    main(process.argv.slice(2)).then(exitAfterOutput, (e) => {
        process.stderr.write(`error: ${terminalLines(e instanceof Error ? e.message : String(e))}\n`);
        exitAfterOutput(2);
    });
}

if (require.main === module) {
    runAsCommand();
}
