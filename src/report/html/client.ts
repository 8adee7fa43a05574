/**
 * The report's one script, inline and allowed by its hash. It only reads the embedded JSON and
 * toggles `hidden` / sets `textContent`: no markup is ever built from account data.
 */
export const REPORT_JS = `(function () {
  'use strict';
  var dataNode = document.getElementById('report-data');
  if (!dataNode) return;
  var data = JSON.parse(dataNode.textContent || '{}');
  var findings = data.findings || [];
  var principals = data.principals || [];
  function lower(parts) { return parts.filter(function (p) { return typeof p === 'string'; }).join(' ').toLowerCase(); }
  var findingText = findings.map(function (f) {
    return lower([f.id, f.checkId, f.checkTitle, f.severity, f.status, f.account, f.accountName, f.resourceArn, f.resourceType, f.principal, f.message].concat(f.compliance || []));
  });
  var principalText = principals.map(function (p) { return lower([p.arn, p.name, p.kind, p.account, p.accountName]); });
  function terms(input) { var v = (input && input.value || '').trim().toLowerCase(); return v ? v.split(/\\s+/) : []; }
  function hasAll(text, list) { for (var i = 0; i < list.length; i++) if (text.indexOf(list[i]) < 0) return false; return true; }

  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings-table tbody tr[data-i]'));
  var q = document.getElementById('q');
  var sev = Array.prototype.slice.call(document.querySelectorAll('input[name="sev"]'));
  var account = document.getElementById('f-account');
  var check = document.getElementById('f-check');
  var status = document.getElementById('f-status');
  var showSuppressed = document.getElementById('f-suppressed');
  var shown = document.getElementById('shown');
  function applyFindings() {
    var want = terms(q);
    var on = {};
    sev.forEach(function (c) { on[c.value] = c.checked; });
    var n = 0;
    rows.forEach(function (row) {
      var i = Number(row.getAttribute('data-i'));
      var f = findings[i];
      var ok = !!f && on[f.severity] === true &&
        (!account || !account.value || account.value === f.account) &&
        (!check || !check.value || check.value === f.checkId) &&
        (!status || !status.value || status.value === f.status) &&
        (!showSuppressed || showSuppressed.checked || !f.suppressed) &&
        hasAll(findingText[i], want);
      row.hidden = !ok;
      if (ok) n++;
    });
    if (shown) shown.textContent = n + ' of ' + rows.length + ' findings shown';
  }
  [q, account, check, status, showSuppressed].concat(sev).forEach(function (el) {
    if (el) { el.addEventListener('input', applyFindings); el.addEventListener('change', applyFindings); }
  });

  var prow = Array.prototype.slice.call(document.querySelectorAll('#principals-table tbody tr[data-p]'));
  var pq = document.getElementById('pq');
  var pkind = document.getElementById('p-kind');
  var pshown = document.getElementById('pshown');
  function applyPrincipals() {
    var want = terms(pq);
    var n = 0;
    prow.forEach(function (row) {
      var i = Number(row.getAttribute('data-p'));
      var p = principals[i];
      var ok = !!p && (!pkind || !pkind.value || pkind.value === p.kind) && hasAll(principalText[i], want);
      row.hidden = !ok;
      if (ok) n++;
    });
    if (pshown) pshown.textContent = n + ' of ' + prow.length + ' identities shown';
  }
  [pq, pkind].forEach(function (el) {
    if (el) { el.addEventListener('input', applyPrincipals); el.addEventListener('change', applyPrincipals); }
  });
  applyFindings();
  applyPrincipals();
})();
`;
