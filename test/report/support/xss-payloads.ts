/**
 * Payloads that try to run script in the HTML report. Each one that could execute calls
 * `__xss(n)` (a page binding the test watches) or `alert(n)` (a dialog it watches), so any
 * execution is seen whichever way it happens.
 */
const calls = ['__xss(1)', 'alert(1)', 'window.__xss(2)', 'top.__xss(3)', 'self["__xss"](4)'];

const templates: ((c: string) => string)[] = [
  (c) => `<script>${c}</script>`,
  (c) => `</script><script>${c}</script>`,
  (c) => `</ScRiPt><sCrIpT>${c}</sCrIpT>`,
  (c) => `<img src=x onerror=${c}>`,
  (c) => `<img src="x" onerror="${c}">`,
  (c) => `"><img src=x onerror=${c}>`,
  (c) => `'><img src=x onerror=${c}>`,
  (c) => `" onmouseover="${c}" x="`,
  (c) => `' onfocus='${c}' autofocus x='`,
  (c) => `<svg onload=${c}>`,
  (c) => `<svg><script>${c}</script></svg>`,
  (c) => `</text><script>${c}</script>`,
  (c) => `</title><script>${c}</script>`,
  (c) => `<body onload=${c}>`,
  (c) => `<iframe src="javascript:${c}"></iframe>`,
  (c) => `javascript:${c}`,
  (c) => `<a href="javascript:${c}">x</a>`,
  (c) => `<details open ontoggle=${c}>`,
  (c) => `<input autofocus onfocus=${c}>`,
  (c) => `<math><mtext><table><mglyph><style><img src=x onerror=${c}>`,
  (c) => `{{constructor.constructor('${c}')()}}`,
  (c) => `\${${c}}`,
  (c) => `<!--<script>${c}//-->`,
  (c) => `<style>@import 'javascript:${c}';</style>`,
  (c) => `\u2028${c}\u2029`,
  (c) => `</textarea><script>${c}</script>`,
  (c) => `<object data="javascript:${c}">`,
  (c) => `<embed src="javascript:${c}">`,
  (c) => `<form><button formaction=javascript:${c}>x</button></form>`,
  (c) => `<meta http-equiv="refresh" content="0;url=javascript:${c}">`,
  (c) => `<base href="javascript:${c}//">`,
  (c) => `"]}</script><script>${c}</script>`,
  (c) => `\\u003cscript\\u003e${c}\\u003c/script\\u003e`,
  (c) => `&lt;script&gt;${c}&lt;/script&gt;`,
  (c) => `<x onclick=${c}>click`,
  (c) => `<video><source onerror="${c}">`,
  (c) => `<marquee onstart=${c}>`,
  (c) => `<svg><animate onbegin=${c} attributeName=x dur=1s>`,
  (c) => `<svg><a xlink:href="javascript:${c}"><text>x</text></a></svg>`,
  (c) => `<noscript><p title="</noscript><img src=x onerror=${c}>">`,
];

/** Every template with every call: 200 payloads. */
export const XSS_PAYLOADS: readonly string[] = templates.flatMap((t) => calls.map((c) => t(c)));
