/**
 * Review (issue 16): a tiny local HTTP server in front of the emulator, for hostile answers the emulator cannot express.
 * Each request is parsed (query and form body); `answer` may answer it itself (a body, or `"hang"`: never), else it is
 * forwarded to the emulator and `rewrite` may change the emulator's answer. The session of the request (a member's
 * credentials AssumeRole issued), when there is one, is given to both.
 */
import * as http from "http";
import { AddressInfo } from "net";
import type { Emulator } from "../support/emulator";

type Params = Record<string, string>;
type Session = Emulator["sessions"][number];

export interface ProxyOptions {
    readonly answer?: (params: Params, session: Session | undefined) => { status?: number; body: unknown } | "hang" | undefined;
    readonly rewrite?: (params: Params, body: Record<string, unknown>, session: Session | undefined) => Record<string, unknown>;
}

export interface Proxy {
    readonly endpoint: string;
    stop(): Promise<void>;
}

export async function startProxy(emulator: Emulator, options: ProxyOptions): Promise<Proxy> {
    const [host, port] = emulator.endpoint.split(":");
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
            const params: Params = { ...Object.fromEntries(new URL(req.url ?? "/", "http://proxy").searchParams), ...Object.fromEntries(new URLSearchParams(body)) };
            const session = emulator.sessions.find((s) => s.accessKeyId === params.AccessKeyId);
            const own = options.answer?.(params, session);
            if (own === "hang") {
                return;
            }
            if (own !== undefined) {
                res.writeHead(own.status ?? 200, { "content-type": "application/json" });
                res.end(JSON.stringify(own.body));
                return;
            }
            const upstream = http.request({ host, port: Number(port), path: req.url, method: req.method, headers: req.headers }, (answer) => {
                let text = "";
                answer.on("data", (d) => (text += d));
                answer.on("end", () => {
                    let out = text;
                    if (options.rewrite !== undefined && answer.statusCode === 200) {
                        out = JSON.stringify(options.rewrite(params, JSON.parse(text) as Record<string, unknown>, session));
                    }
                    res.writeHead(answer.statusCode ?? 200, { "content-type": "application/json" });
                    res.end(out);
                });
            });
            upstream.end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    return {
        endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}
