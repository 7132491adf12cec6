// npm run screenshot: the report page of the organization (test/report/fixture.ts: 3 encrypted snapshots and
// 2 images shared with the accounts of a directory's folders), rendered by src/report/html.ts and opened from its file
// in Debian's Chromium (CHROMIUM_PATH for another), photographed from the top to the end of the sharing graph into
// docs/report.png for the README.
const { mkdtempSync, rmSync, writeFileSync } = require("fs");
const { tmpdir } = require("os");
const { join } = require("path");
const { pathToFileURL } = require("url");

const root = join(__dirname, "..");
require("ts-node").register({ transpileOnly: true, project: join(root, "tsconfig.json") });
const { chromium } = require("playwright-core");
const { organizationReport } = require("../test/report/fixture");
const { renderHtml } = require("../src/report/html");

const OUTPUT = join(root, "docs", "report.png");

async function main() {
    const dir = mkdtempSync(join(tmpdir(), "report-screenshot-"));
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
    try {
        const file = join(dir, "report.html");
        writeFileSync(file, await renderHtml(organizationReport()));
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(pathToFileURL(file).href);
        // Wide enough for the whole graph, as tall as the page down to the end of the graph's section.
        const graph = await page.locator("#graph svg").boundingBox();
        await page.setViewportSize({ width: Math.max(1400, Math.ceil(graph.width + 2 * graph.x)), height: 900 });
        const section = await page.locator("#graph").boundingBox();
        await page.screenshot({ path: OUTPUT, clip: { x: 0, y: 0, width: page.viewportSize().width, height: Math.ceil(section.y + section.height + 16) }, fullPage: true });
        console.log(`wrote ${OUTPUT}`);
    } finally {
        await browser.close();
        rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
