/**
 * The Mermaid chart of the sharing graph, as whole outputs: key nodes, subgraphs for the directory and its folders, a
 * folder's accounts beyond the threshold as one node (the share's edge saying how many), the Markdown fence; ids
 * generated, never copied; hostile names escaped so they add nothing to the chart.
 */
import { renderMermaid } from "../../src/report/mermaid";
import { ISSUE_CASE, imagePermissionsGraph, organizationReport } from "./fixture";

const CHART = [
    "flowchart LR",
    '  n1["owner 1111111111111111"]',
    '  n2{{"key key-backup0001abcd<br/>cn-shanghai"}}',
    '  n3{{"key key-images0002abcd<br/>cn-shanghai"}}',
    '  n4(["snapshot s-backup01<br/>cn-shanghai, customer key"])',
    "  n1 --> n4",
    "  n4 -. encrypted with .-> n2",
    '  n5(["snapshot s-backup02<br/>cn-shanghai, customer key"])',
    "  n1 --> n5",
    "  n5 -. encrypted with .-> n2",
    '  n6(["snapshot s-backup03<br/>cn-shanghai, customer key"])',
    "  n1 --> n6",
    "  n6 -. encrypted with .-> n2",
    '  n7(["image m-golden01<br/>cn-shanghai, customer key"])',
    "  n1 --> n7",
    "  n7 -. encrypted with .-> n3",
    '  n8(["image m-golden02<br/>cn-shanghai, not encrypted"])',
    "  n1 --> n8",
    '  n9[["role AliyunECSShareEncryptSnapshotDefaultRole"]]',
    "  n9 -. granted .-> n2",
    '  n10[["role AliyunECSShareEncryptImageDefaultRole"]]',
    "  n10 -. granted .-> n3",
    '  n11[/"share backups<br/>resource share, cn-shanghai, customer key"/]',
    "  n4 --> n11",
    "  n5 --> n11",
    "  n6 --> n11",
    "  n11 -. uses .-> n9",
    '  n12[/"share golden-images<br/>resource share, cn-shanghai, customer key"/]',
    "  n7 --> n12",
    "  n8 --> n12",
    "  n12 -. uses .-> n10",
    '  subgraph n13 ["directory rd-org1"]',
    '    subgraph n14 ["root folder r-root1"]',
    '      subgraph n15 ["folder fd-dev (Development)"]',
    '        n16[/"15 accounts"/]',
    "      end",
    '      subgraph n17 ["folder fd-dr (Disaster recovery)"]',
    '        n18["account 2222222222222222<br/>dr-account"]',
    "      end",
    '      subgraph n19 ["folder fd-prod (Production)"]',
    '        n20["every member of fd-prod<br/>Production"]',
    '        n21[/"25 accounts"/]',
    "      end",
    "    end",
    "  end",
    '  subgraph n22 ["not in the organization file#39;s tree"]',
    '    n23["account 9999999999999999"]',
    "  end",
    "  n11 --> n20",
    "  n11 --> n18",
    "  n11 --> n23",
    "  n12 -- 25 --> n21",
    "  n12 -- 15 --> n16",
];

describe("the Mermaid chart", () => {
    test("the issue's organization: key nodes, the directory and its folders as subgraphs, 40 accounts as two nodes, fenced", () => {
        expect(renderMermaid(organizationReport(ISSUE_CASE).graph, { fence: true })).toBe(["```mermaid", ...CHART, "```"].join("\n"));
        expect(renderMermaid(organizationReport(ISSUE_CASE).graph)).toBe(CHART.join("\n"));
    });

    test("a folder of up to 8 accounts draws each; 9 are one node", () => {
        const chart = (n: number) => renderMermaid(organizationReport({ folders: [{ id: "fd-prod", name: "P", accounts: n }] }).graph).split("\n");
        expect(chart(8).filter((l) => /^ {8}n\d+\["account 3/.test(l))).toHaveLength(8);
        expect(chart(9).filter((l) => /^ {8}n\d+\["account 3/.test(l))).toEqual([]);
        expect(chart(9)).toContain('        n19[/"9 accounts"/]');
    });

    test("hostile names: every label quoted and escaped, ids generated, no line added", () => {
        const hostile = { ...ISSUE_CASE, shareNames: { snapshots: 'x"]\n  click n1 call alert()\n  n1["', images: "%%{init: {}}%% <b>#" }, folderNames: { "fd-dev": "end\nsubgraph evil" } };
        const lines = renderMermaid(organizationReport(hostile).graph).split("\n");
        expect(lines).toHaveLength(CHART.length);
        expect(lines).toContain('  n11[/"share x#34;#93;#92;n  click n1 call alert()#92;n  n1#91;#34;<br/>resource share, cn-shanghai, customer key"/]');
        expect(lines).toContain('  n12[/"share #37;#37;#123;init#58; #123;#125;#125;#37;#37; #60;b#62;#35;<br/>resource share, cn-shanghai, customer key"/]');
        expect(lines).toContain('      subgraph n15 ["folder fd-dev (end#92;nsubgraph evil)"]');
    });
});

test("a chart past Mermaid's default limits (500 edges, 50,000 characters) is one node saying so, not a chart no viewer draws", () => {
    const { graph } = imagePermissionsGraph(300);
    expect(renderMermaid(graph as never, { fence: true })).toBe(
        [
            "```mermaid",
            "flowchart LR",
            '  too_large["300 shares to 300 recipients#58; too many for one Mermaid chart (900 edges, 58525 characters#59; Mermaid draws up to 500 and 50000)<br/>see the text map or the report page (--format html)"]',
            "```",
        ].join("\n"),
    );
});
