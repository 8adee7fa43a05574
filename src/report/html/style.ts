/** The report's one stylesheet, inline and allowed by its hash in the Content-Security-Policy. */
export const REPORT_CSS = `
:root{--fg:#1d2433;--muted:#5b6578;--bg:#fff;--panel:#f5f7fa;--line:#d9dee7;--accent:#2450a6;
--critical:#8b0a1a;--high:#c4301c;--medium:#c77700;--low:#2f6db5;--info:#5b6578}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{margin:0 0 4px;font-size:20px}
nav{display:flex;gap:16px;padding:8px 24px;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--bg);z-index:2}
nav a{color:var(--accent);text-decoration:none;font-weight:600}
main{padding:8px 24px 48px;max-width:1400px}
h2{margin:28px 0 10px;font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{margin:18px 0 8px;font-size:15px}
.muted{color:var(--muted);fill:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:130px}
.card b{display:block;font-size:22px}
.charts{display:flex;flex-wrap:wrap;gap:20px}
.charts figure{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px}
.charts figcaption{font-weight:600;margin-bottom:6px}
svg text{font:12px system-ui,sans-serif;fill:var(--fg)}
.bar{fill:var(--accent)}
.bar.sev-critical{fill:var(--critical)}.bar.sev-high{fill:var(--high)}.bar.sev-medium{fill:var(--medium)}.bar.sev-low{fill:var(--low)}.bar.sev-info{fill:var(--info)}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right}
.wrap{word-break:break-all}
.sev{display:inline-block;padding:1px 7px;border-radius:10px;color:#fff;font-size:12px;font-weight:600}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.tag{display:inline-block;background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:0 5px;margin:1px;font-size:12px}
.status-unknown{font-style:italic;color:var(--muted)}
tr.suppressed td{opacity:.6}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:8px 0}
.filters input[type=search]{min-width:280px;padding:5px 8px;border:1px solid var(--line);border-radius:4px}
.filters select{padding:4px}
details summary{cursor:pointer;color:var(--accent)}
details .detail{background:var(--panel);border-left:3px solid var(--accent);padding:6px 10px;margin-top:6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
dt{font-weight:600;color:var(--muted)}dd{margin:0}
pre,code{font:12px ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
.principal{display:none}
.principal:target{display:block}
.principal h2 .kind{font-size:13px;color:var(--muted);font-weight:400}
.graph{max-width:100%;height:auto;background:var(--panel);border:1px solid var(--line);border-radius:8px}
.graph .node rect{fill:#fff;stroke:var(--accent);stroke-width:1.5}
.graph .node.start rect{fill:#e6eefc}
.graph .node.target rect{fill:#fde8e6;stroke:var(--high)}
.graph line{stroke:var(--muted);stroke-width:1.5}
.graph .arrowhead{fill:var(--muted)}
.graph .edge-label{font-size:11px;fill:var(--high)}
@media print{
 nav,.filters,.noprint{display:none}
 body{font-size:11px}
 main{max-width:none;padding:0}
 .principal{display:block;break-before:page}
 details>*{display:block}
 tr[hidden]{display:table-row}
 a{color:inherit;text-decoration:none}
 .sev{color:#000;border:1px solid #000;background:none}
}
`;
