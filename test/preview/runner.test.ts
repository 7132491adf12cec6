/** The runner's measure of progress: the processor time of the program's process, from /proc. */
import { spawn } from "child_process";
import { processorMs } from "../../src/preview/runner";

test("a process's processor time grows while it works, not while it waits; a process that is gone has none", async () => {
    const busy = spawn(process.execPath, ["-e", "const end = Date.now() + 1500; while (Date.now() < end) {}"]);
    const waiting = spawn(process.execPath, ["-e", "setTimeout(() => {}, 1500)"]);
    try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const first = { busy: processorMs(busy.pid!)!, waiting: processorMs(waiting.pid!)! };
        await new Promise((resolve) => setTimeout(resolve, 800));
        // The busy one used a good part of a core for 800 ms (a loaded machine shares it); the waiting one, started at the same time, almost none since.
        expect(processorMs(busy.pid!)! - first.busy).toBeGreaterThanOrEqual(200);
        expect(processorMs(waiting.pid!)! - first.waiting).toBeLessThan(80);
    } finally {
        busy.kill();
        waiting.kill();
    }
    await new Promise((resolve) => busy.once("exit", resolve));
    expect(processorMs(busy.pid!)).toBeUndefined();
});
