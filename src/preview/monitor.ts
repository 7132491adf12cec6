/**
 * The engine side of an offline preview: Pulumi's ResourceMonitor and Engine gRPC services, served in the preview's
 * own process from the protocol definitions `@pulumi/pulumi` ships, for the program's language runner to connect to
 * (`--monitor`, `--engine`), as `pulumi preview` serves them. It answers as a preview does (ids and computed outputs
 * unknown, the inputs as the outputs; the two data sources the components call answered with the stack's account and
 * region) and records what arrives: every registration, the engine log, the stack's outputs, the shutdown signal.
 * Nothing of it runs in the program's process; what it records is judged here, after the program has ended.
 */
import * as path from "path";
import type * as grpcModule from "@grpc/grpc-js";
import type { SourcePosition } from "../report/model";
import { programPosition } from "./positions";

/** A registration as the engine receives it: type, name, URN, parent, inputs (as sent, secrets and unknowns encoded), dependencies, protect flag and provider. */
export interface CapturedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** The parent's URN, or "" for the stack. */
    readonly parent: string;
    /** A custom resource (not a component). */
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
    readonly dependencies: string[];
    readonly propertyDependencies: Record<string, string[]>;
    readonly protect: boolean;
    /** The provider reference (`<urn>::<id>`), or "" for the default provider. */
    readonly provider: string;
    /**
     * Where the program constructed it: the first frame of its construction stack in the program's folder (outside
     * `node_modules`), else its parent's; none when the preview was not told the program's folder.
     */
    readonly source?: SourcePosition;
}

/** One message of the program's engine log. */
export interface LogEntry {
    readonly severity: "debug" | "info" | "warning" | "error";
    readonly message: string;
    /** The resource it is about, or "". */
    readonly urn: string;
}

/** What the monitor answers for: the stack, and what the default provider reports. */
export interface MonitorOptions {
    readonly project: string;
    readonly stack: string;
    /** The account `getCallerIdentity` reports. */
    readonly accountId: string;
    /** The region the default provider reports. */
    readonly region: string;
    /** Called with each info or warning message of the engine log as it arrives (the program's output). */
    readonly onLog?: (entry: LogEntry) => void;
    /** The program's folder: each registration's position in it is kept (`CapturedResource.source`). */
    readonly programDir?: string;
}

/** What arrived over the protocol, in order. */
export interface MonitorRecord {
    /** Every resource registered, but the stack itself. */
    readonly resources: CapturedResource[];
    readonly logs: LogEntry[];
    /** Refusals of the protocol the program caused: a URN registered twice, a resource the preview cannot register. */
    readonly problems: string[];
    /** The stack's URN, once the runner registered it. */
    readonly stackUrn: () => string | undefined;
    /** Whether the runner registered the stack's outputs: the program's main code ran to its end (or threw). */
    readonly stackOutputsRegistered: () => boolean;
    /** Whether the runner signalled shutdown: nothing was left to run in the program's process. */
    readonly shutdownSignaled: () => boolean;
    /** When the program last called the monitor or the engine (ms since the epoch), or undefined before its first call. */
    readonly lastCall: () => number | undefined;
}

export interface Monitor extends MonitorRecord {
    /** `127.0.0.1:<port>`, for both `--monitor` and `--engine`. */
    readonly address: string;
    /** Waits until every call received so far has been answered. */
    settle(): Promise<void>;
    /** Stops serving; calls in flight are cancelled. */
    stop(): Promise<void>;
}

/** The modules of the protocol, from the `@pulumi/pulumi` this package uses, and the gRPC library its protocol code uses. */
interface Protocol {
    readonly grpc: typeof grpcModule;
    readonly resourceRpc: { ResourceMonitorService: grpcModule.ServiceDefinition };
    readonly engineRpc: { EngineService: grpcModule.ServiceDefinition };
    readonly resource: Record<string, new () => Message>;
    readonly engine: Record<string, new () => Message>;
    readonly provider: Record<string, new () => Message>;
    readonly empty: { Empty: new () => Message };
    readonly struct: { Struct: { fromJavaScript(value: Record<string, unknown>): Message } };
}

/** A protobuf message: getters and setters by field, looked up by name. */
type Message = Record<string, (...args: never[]) => unknown>;

function loadProtocol(): Protocol {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const from = (request: string) => require.resolve(request, { paths: [pulumiDir] });
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
        grpc: require(from("@grpc/grpc-js")),
        resourceRpc: require("@pulumi/pulumi/proto/resource_grpc_pb"),
        engineRpc: require("@pulumi/pulumi/proto/engine_grpc_pb"),
        resource: require("@pulumi/pulumi/proto/resource_pb"),
        engine: require("@pulumi/pulumi/proto/engine_pb"),
        provider: require("@pulumi/pulumi/proto/provider_pb"),
        empty: require(from("google-protobuf/google/protobuf/empty_pb")),
        struct: require(from("google-protobuf/google/protobuf/struct_pb")),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * The features the engine of `@pulumi/pulumi` 3.248 reports (`SupportsFeature`): the runtime encodes what it sends by
 * them (secrets and resource references as such, output values for remote components…). Any other id is unsupported.
 */
export const ENGINE_FEATURES: readonly string[] = [
    "secrets",
    "resourceReferences",
    "outputValues",
    "deletedWith",
    "replaceWith",
    "aliasSpecs",
    "transforms",
    "invokeTransforms",
    "parameterization",
    "resourceHooks",
    "errorHooks",
];

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

const SEVERITIES: readonly LogEntry["severity"][] = ["debug", "info", "warning", "error"];

/** The qualified type of a URN (`parent$child` types), or undefined when it is not a URN. */
function qualifiedTypeOf(urn: string): string | undefined {
    const parts = urn.startsWith("urn:pulumi:") ? urn.slice("urn:pulumi:".length).split("::") : [];
    return parts.length >= 4 ? parts[2] : undefined;
}

/** The URN the engine gives a resource: its type qualified by its parent's, but for children of the stack. */
export function urnOf(stack: string, project: string, parent: string, type: string, name: string): string {
    const parentType = parent === "" ? undefined : qualifiedTypeOf(parent);
    const qualified = parentType === undefined || parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The data sources the offline preview answers, as the provider would for the stack's account and region. */
function answerInvoke(token: string, providerRegion: string, options: MonitorOptions): Record<string, unknown> {
    switch (token) {
        case "alicloud:index/getCallerIdentity:getCallerIdentity":
            return { accountId: options.accountId, arn: `acs:ram::${options.accountId}:root`, id: options.accountId, identityType: "Account" };
        case "alicloud:index/getRegions:getRegions":
            return { current: true, id: providerRegion, ids: [providerRegion], name: "", regions: [{ id: providerRegion, localName: providerRegion, regionId: providerRegion }] };
        default:
            throw new Error(`the offline preview does not answer the data source ${token}`);
    }
}

/** A position as the runtime sends it (`pulumirpc.SourcePosition`). */
interface PositionMessage {
    getUri(): string;
    getLine(): number;
    getColumn(): number;
}

/**
 * Where a registration was constructed in the program: its source position, else the first frame of its stack trace
 * (the runtime sends both, the stack trace mapped through source maps for TypeScript) that is in the program's folder.
 */
function registeredPosition(request: Message, programDir: string): SourcePosition | undefined {
    const at = (m: PositionMessage | undefined) => (m === undefined ? undefined : programPosition(m.getUri(), m.getLine(), m.getColumn(), programDir));
    const own = at(request.getSourceposition() as PositionMessage | undefined);
    if (own !== undefined) {
        return own;
    }
    const frames = (request.getStacktrace() as { getFramesList(): { getPc(): PositionMessage | undefined }[] } | undefined)?.getFramesList() ?? [];
    for (const frame of frames) {
        const found = at(frame.getPc());
        if (found !== undefined) {
            return found;
        }
    }
    return undefined;
}

/** Starts the monitor on 127.0.0.1, on a port of the system's choosing. */
export async function startMonitor(options: MonitorOptions): Promise<Monitor> {
    const protocol = loadProtocol();
    const { grpc } = protocol;
    const resources: CapturedResource[] = [];
    const logs: LogEntry[] = [];
    const problems: string[] = [];
    const urns = new Set<string>();
    /** Where each resource registered so far was constructed: a child none of whose frames is the program's takes its parent's. */
    const positions = new Map<string, SourcePosition>();
    let stackUrn: string | undefined;
    let rootUrn = "";
    let stackOutputs = false;
    let shutdown = false;
    let inFlight = 0;
    let idle: (() => void)[] = [];

    type Callback = (error: Partial<grpcModule.ServiceError> | null, value?: unknown) => void;
    /** Answers a call; any exception is the call's error, never the preview's. */
    let lastCall: number | undefined;
    const serve =
        (handler: (request: Message) => unknown) =>
        (call: { request: Message }, callback: Callback): void => {
            inFlight++;
            lastCall = Date.now();
            try {
                callback(null, handler(call.request));
            } catch (e) {
                callback({ code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) });
            } finally {
                if (--inFlight === 0) {
                    idle.forEach((resolve) => resolve());
                    idle = [];
                }
            }
        };
    const make = <K extends string>(module: Record<string, new () => Message>, name: K): Message => new module[name]();
    const structOf = (value: Record<string, unknown>): Message => protocol.struct.Struct.fromJavaScript(value);
    const plain = (struct: unknown): Record<string, unknown> => (struct === undefined ? {} : ((struct as { toJavaScript(): Record<string, unknown> }).toJavaScript() ?? {}));
    /** The region of a provider reference's provider, else the stack's. */
    const regionOfProvider = (reference: string): string => {
        const urn = reference.slice(0, reference.lastIndexOf("::"));
        const provider = resources.find((r) => r.urn === urn);
        return typeof provider?.inputs.region === "string" ? provider.inputs.region : options.region;
    };
    const unsupported = (what: string) => (): never => {
        throw new Error(`the offline preview does not ${what}`);
    };

    const monitorService = {
        supportsFeature: serve((request) => make(protocol.resource, "SupportsFeatureResponse").setHassupport(ENGINE_FEATURES.includes(request.getId() as string) as never)),
        registerResource: serve((request) => {
            const type = request.getType() as string;
            const name = request.getName() as string;
            const parent = request.getParent() as string;
            const custom = request.getCustom() as boolean;
            if (request.getRemote() as boolean) {
                throw new Error(`the offline preview does not construct components of other packages (${type} ${name})`);
            }
            const urn = urnOf(options.stack, options.project, parent, type, name);
            if (urns.has(urn)) {
                problems.push(`the program registered ${urn} twice (Pulumi refuses a duplicate resource URN; give each resource a unique name)`);
                throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
            }
            urns.add(urn);
            const object = request.getObject() as unknown;
            if (type === ROOT_STACK_TYPE && parent === "" && stackUrn === undefined) {
                stackUrn = urn;
            } else {
                const propertyDependencies: Record<string, string[]> = {};
                (request.getPropertydependenciesMap() as unknown as { forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void }).forEach(
                    (deps, key) => (propertyDependencies[key] = [...deps.getUrnsList()]),
                );
                const source = options.programDir === undefined ? undefined : (registeredPosition(request, options.programDir) ?? positions.get(parent));
                if (source !== undefined) {
                    positions.set(urn, source);
                }
                resources.push({
                    type,
                    name,
                    urn,
                    parent: parent === stackUrn ? "" : parent,
                    custom,
                    inputs: plain(object),
                    dependencies: [...(request.getDependenciesList() as string[])].sort(),
                    propertyDependencies,
                    protect: request.getProtect() === true,
                    provider: request.getProvider() as string,
                    ...(source === undefined ? {} : { source }),
                });
            }
            // As a preview answers a create: the id unknown (empty), the inputs as the outputs, computed outputs unknown (absent).
            const response = make(protocol.resource, "RegisterResourceResponse");
            response.setUrn(urn as never);
            response.setId("" as never);
            response.setObject((object ?? structOf({})) as never);
            return response;
        }),
        registerResourceOutputs: serve((request) => {
            if (stackUrn !== undefined && request.getUrn() === stackUrn) {
                stackOutputs = true;
            }
            return new protocol.empty.Empty();
        }),
        readResource: serve((request) => {
            // Offline nothing can be read: the resource is what the program says it is.
            const response = make(protocol.resource, "ReadResourceResponse");
            response.setUrn(urnOf(options.stack, options.project, request.getParent() as string, request.getType() as string, request.getName() as string) as never);
            response.setProperties((request.getProperties() ?? structOf({})) as never);
            return response;
        }),
        invoke: serve((request) => {
            const response = make(protocol.provider, "InvokeResponse");
            response.setReturn(structOf(answerInvoke(request.getTok() as string, regionOfProvider(request.getProvider() as string), options)) as never);
            return response;
        }),
        call: serve(unsupported("call methods of resources")),
        registerStackTransform: serve(unsupported("run stack transforms")),
        registerStackInvokeTransform: serve(unsupported("run invoke transforms")),
        registerResourceHook: serve(unsupported("run resource hooks")),
        registerErrorHook: serve(unsupported("run error hooks")),
        registerPackage: serve((request) => {
            const response = make(protocol.resource, "RegisterPackageResponse");
            response.setRef(`${request.getName() as string}@${request.getVersion() as string}` as never);
            return response;
        }),
        signalAndWaitForShutdown: serve(() => {
            shutdown = true;
            return new protocol.empty.Empty();
        }),
    };
    const engineService = {
        log: serve((request) => {
            const entry: LogEntry = { severity: SEVERITIES[request.getSeverity() as number] ?? "error", message: request.getMessage() as string, urn: request.getUrn() as string };
            logs.push(entry);
            if (entry.severity === "info" || entry.severity === "warning") {
                options.onLog?.(entry);
            }
            return new protocol.empty.Empty();
        }),
        getRootResource: serve(() => make(protocol.engine, "GetRootResourceResponse").setUrn(rootUrn as never)),
        setRootResource: serve((request) => {
            rootUrn = request.getUrn() as string;
            return make(protocol.engine, "SetRootResourceResponse");
        }),
        requirePulumiVersion: serve(() => make(protocol.engine, "RequirePulumiVersionResponse")),
    };

    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(protocol.resourceRpc.ResourceMonitorService, monitorService as never);
    server.addService(protocol.engineRpc.EngineService, engineService as never);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return {
        address: `127.0.0.1:${port}`,
        resources,
        logs,
        problems,
        stackUrn: () => stackUrn,
        stackOutputsRegistered: () => stackOutputs,
        shutdownSignaled: () => shutdown,
        lastCall: () => lastCall,
        settle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
        stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
