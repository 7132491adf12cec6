// Preloaded into a measured process: reports its peak memory on stderr when it exits.
process.on("exit", () => process.stderr.write(`\nBENCH_MAXRSS_KIB=${process.resourceUsage().maxRSS}\n`));
