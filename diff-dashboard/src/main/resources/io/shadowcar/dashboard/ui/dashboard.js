/* shadowcar diff dashboard: vanilla JS, no framework. Reads /api/diff/*, listens to /api/diff/events. */
(function () {
  'use strict';
  var API = 'api/diff/';
  var state = { endpoint: null, field: null, overview: null, detail: null, refreshTimer: null };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  function api(path, options) {
    return fetch(API + path, options).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
        return body;
      });
    });
  }

  function pct(x) { return (x < 10 && x > 0 ? x.toFixed(2) : x.toFixed(1)) + ' %'; }
  function ms(micros) { return micros >= 1000 ? (micros / 1000).toFixed(1) + ' ms' : micros + ' µs'; }
  function time(millis) { return new Date(millis).toLocaleString(); }
  function activate(node, fn) {
    node.addEventListener('click', fn);
    node.addEventListener('keydown', function (ev) {
      if (ev.target !== node) return;
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); fn(ev); }
    });
  }

  /* ---------- status ---------- */
  function loadStatus() {
    return api('status').then(function (s) {
      $('status').textContent = (s.enabled ? 'comparing ' + s.samplePercent + ' % of exchanges' : 'diff is OFF') +
        ' · since ' + time(s.since);
      var banner = $('store-error');
      banner.hidden = s.store.ok;
      banner.textContent = s.store.ok ? '' : 'Store problem: ' + s.store.error;
      var t = s.thresholds;
      $('thresholds').textContent = 'A field is a real difference when raw > noise, |raw − noise| / (raw + noise) > ' +
        t.relativePercent + ' % and |raw − noise| / requests > ' + t.absolutePercent + ' %. Slower: candidate p99 > ' +
        t.latencyFactor + ' × baseline p99' +
        (t.latencyMinDeltaMillis > 0 ? ' and > baseline p99 + ' + t.latencyMinDeltaMillis + ' ms' : '') +
        '; failing: error rate > baseline + ' + t.errorRateMarginPoints +
        ' points (each after ' + t.minSamples + ' samples). The baseline is the secondary once it has ' +
        t.minSamples + ' answers (called like the candidate, so only the version differs), else the primary.';
    }).catch(function (e) { $('status').textContent = 'status unavailable: ' + e.message; });
  }

  /* ---------- overview ---------- */
  function loadOverview() {
    var range = $('range').value;
    return api('endpoints' + (range ? '?minutes=' + range : '')).then(function (doc) {
      state.overview = doc;
      renderOverview();
    }).catch(function (e) { $('totals').textContent = 'could not load endpoints: ' + e.message; });
  }

  function spark(trend) {
    if (!trend) return '';
    var bars = '▁▂▃▄▅▆▇█', d = trend.differing.slice(-30), max = Math.max.apply(null, d.concat([1]));
    return d.map(function (n) { return n === 0 ? '·' : bars[Math.min(7, Math.floor(n * 7 / max))]; }).join('');
  }

  /* The side slower and failing compared the candidate with. */
  function baseline(e) { return e.latencyBaseline === 'secondary' ? e.secondary : e.primary; }

  /* "primary → candidate (secondary)"; the secondary part only when the endpoint had one. */
  function sidesCell(e, fmt, worse) {
    return el('td', {}, [fmt(e.primary) + ' → ', el('span', { cls: worse ? 'worse' : '', text: fmt(e.candidate) }),
      e.secondary ? el('span', { cls: 'secondary-value' + (e.latencyBaseline === 'secondary' ? ' baseline' : ''),
        title: 'secondary' + (e.latencyBaseline === 'secondary' ? ': the baseline' : ''),
        text: ' (' + fmt(e.secondary) + ')' }) : null]);
  }

  function latencyText(s) { return ms(s.p50Micros) + ' / ' + ms(s.p99Micros); }
  function errorText(s) { return pct(s.errorRate); }

  function renderOverview() {
    var doc = state.overview, filter = $('filter').value.trim().toLowerCase();
    var showNoise = $('show-noise').checked, tbody = $('endpoints').tBodies[0], hidden = 0;
    document.body.classList.toggle('hide-noise', !showNoise);
    tbody.textContent = '';
    doc.endpoints.forEach(function (e) {
      if (filter && e.endpoint.toLowerCase().indexOf(filter) < 0) return;
      var noisy = e.differing === 0 && e.noise > 0 && !e.slower && !e.failing;
      if (noisy && !showNoise) { hidden++; return; }
      var cls = e.flagged ? 'flagged' : noisy ? 'noisy' : 'same';
      var name = el('td', {}, [el('span', { text: e.endpoint }),
        e.realFields ? el('span', { cls: 'badge real', text: e.realFields + ' real' }) : null,
        e.noiseFields ? el('span', { cls: 'badge noise', text: e.noiseFields + ' noise' }) : null,
        e.slower ? el('span', { cls: 'badge slow', text: 'slower than ' + e.latencyBaseline,
          title: 'candidate p99 above the threshold × the ' + e.latencyBaseline + '\'s p99' }) : null,
        e.failing ? el('span', { cls: 'badge fail', text: 'failing',
          title: 'candidate error rate above the ' + e.latencyBaseline + '\'s plus the margin' }) : null]);
      var row = el('tr', { tabindex: '0', cls: cls, 'data-endpoint': e.endpoint, title: 'open ' + e.endpoint }, [
        name,
        el('td', { cls: 'num', text: String(e.requests) }),
        el('td', { cls: 'num', text: String(e.differing) }),
        el('td', { cls: 'num noise-count', text: String(e.noise) }),
        el('td', { cls: 'num rate', text: pct(e.differingRate) }),
        sidesCell(e, latencyText, e.slower),
        sidesCell(e, errorText,
          e.candidate.errorRate > baseline(e).errorRate * 1.2 && e.candidate.errorRate > 0),
        el('td', { cls: 'spark', text: spark(e.trend), title: e.trend ? 'differing per minute, last 30 minutes' : '' })]);
      activate(row, function () { openEndpoint(e.endpoint); });
      tbody.appendChild(row);
    });
    var t = doc.totals;
    $('totals').textContent = t.requests + ' requests · ' + t.differing + ' differing · ' + t.noise + ' noise only' +
      (hidden ? ' · ' + hidden + ' noise-only endpoint(s) hidden' : '');
    $('empty').hidden = doc.endpoints.length > 0;
  }

  /* ---------- one endpoint ---------- */
  function openEndpoint(key, field) {
    state.endpoint = key;
    state.field = field || null;
    if (location.hash !== '#' + encodeURIComponent(key)) history.pushState(null, '', '#' + encodeURIComponent(key));
    $('overview').hidden = true;
    $('detail').hidden = false;
    $('detail-title').textContent = key;
    $('samples').textContent = '';
    $('samples').appendChild(el('p', { cls: 'muted', text: 'Select a field to see example exchanges side by side.' }));
    return loadDetail().then(function () { var f = $('fields').firstChild; if (f) f.focus(); else $('back').focus(); });
  }

  function closeEndpoint() {
    state.endpoint = null;
    state.field = null;
    if (location.hash) history.pushState(null, '', location.pathname + location.search);
    $('detail').hidden = true;
    $('overview').hidden = false;
    loadOverview().then(function () { $('filter').focus(); });
  }

  function loadDetail() {
    if (!state.endpoint) return Promise.resolve();
    return api('endpoint?key=' + encodeURIComponent(state.endpoint)).then(function (d) {
      state.detail = d;
      renderDetail();
    }).catch(function (e) { $('detail-summary').textContent = e.message; $('fields').textContent = ''; });
  }

  function renderDetail() {
    var d = state.detail, s = d.summary;
    $('detail-summary').textContent = s.requests + ' requests · ' + s.differing + ' differing (' + pct(s.differingRate) +
      ') · ' + s.noise + ' noise only · p99 ' + ms(s.primary.p99Micros) + ' → ' + ms(s.candidate.p99Micros) +
      (s.secondary ? ' (secondary ' + ms(s.secondary.p99Micros) + ')' : '') +
      ' · errors ' + pct(s.primary.errorRate) + ' → ' + pct(s.candidate.errorRate) +
      (s.secondary ? ' (secondary ' + pct(s.secondary.errorRate) + ')' : '') +
      ' · judged against the ' + s.latencyBaseline +
      (s.slower ? ' · SLOWER than the ' + s.latencyBaseline : '') +
      (s.failing ? ' · FAILING more than the ' + s.latencyBaseline : '') +
      (d.droppedPaths ? ' · ' + d.droppedPaths + ' differences at paths beyond the cap' : '');
    var list = $('fields');
    list.textContent = '';
    if (!d.fields.length) list.appendChild(el('li', { cls: 'muted', text: 'No field differed.' }));
    d.fields.forEach(function (f) {
      var cls = f.classification.toLowerCase();
      var depth = (f.path.match(/\.|\[/g) || []).length;
      var kinds = Object.keys(f.kinds).map(function (k) { return k.toLowerCase().replace('_', ' '); }).join(', ');
      var isHeader = f.path.indexOf('header.') === 0;
      var ignore = el('button', { type: 'button', text: isHeader ? 'Ignore header' : 'Ignore field',
        title: 'ignore differences at ' + f.path + ' from now on' });
      ignore.addEventListener('click', function (ev) { ev.stopPropagation(); addRule(f.path); });
      var item = el('li', { role: 'treeitem', tabindex: '0', cls: cls + (state.field === f.path ? ' selected' : ''),
        'data-path': f.path, style: 'padding-left:' + (0.5 + depth * 0.9) + 'rem' }, [
        el('span', { cls: 'path', text: f.path }),
        el('span', { cls: 'badge ' + cls, text: cls }),
        el('span', { cls: 'counts', text: 'raw ' + f.raw + ' · noise ' + f.noise + (f.ignored ? ' · ignored ' + f.ignored : '') +
          ' · ' + kinds + ' · ' + f.samples + ' example(s)' }), ignore]);
      activate(item, function () { selectField(f.path); });
      list.appendChild(item);
    });
    var rules = $('rules');
    rules.textContent = '';
    if (!d.rules.length) rules.appendChild(el('li', { cls: 'muted', text: 'none' }));
    d.rules.forEach(function (r) {
      var remove = el('button', { type: 'button', text: 'Remove', title: 'remove this ignore rule' });
      remove.addEventListener('click', function () { removeRule(r.id); });
      rules.appendChild(el('li', {}, [r.kind.toLowerCase() + ' ', el('code', { text: r.pattern }),
        ' (' + (r.endpoint ? 'this endpoint' : 'every endpoint') + ') ', remove]));
    });
  }

  function selectField(path) {
    state.field = path;
    Array.prototype.forEach.call($('fields').children, function (li) {
      li.classList.toggle('selected', li.getAttribute('data-path') === path);
    });
    return loadSamples('field=' + encodeURIComponent(path), path);
  }

  /* ---------- examples ---------- */
  function loadSamples(query, title) {
    var pane = $('samples');
    return api('samples?endpoint=' + encodeURIComponent(state.endpoint) + '&' + query).then(function (doc) {
      pane.textContent = '';
      pane.appendChild(el('h3', { text: 'Examples: ' + title + ' (' + doc.samples.length + ')' }));
      if (!doc.samples.length) pane.appendChild(el('p', { cls: 'muted', text: 'No example kept for this selection.' }));
      doc.samples.forEach(function (s) { pane.appendChild(renderSample(s)); });
    }).catch(function (e) { pane.textContent = 'could not load examples: ' + e.message; });
  }

  function renderSample(s) {
    var req = s.request, diffPaths = s.differences.map(function (d) { return d.path; });
    var noisePaths = s.noise.map(function (d) { return d.path; });
    var box = el('article', { cls: 'sample' }, [
      el('h4', { text: s.verdict.toLowerCase() + ' · ' + time(s.recordedAt) + ' · request ' + req.requestId })]);
    if (s.differences.length) {
      box.appendChild(el('p', { cls: 'small' }, ['Differences: '].concat(s.differences.map(function (d) {
        return el('code', { cls: 'diff-highlight', text: d.path + ' (' + d.kind.toLowerCase() + ': ' + d.primary + ' → ' + d.candidate + ') ' });
      }))));
    }
    box.appendChild(el('details', {}, [el('summary', { text: 'Request ' + req.method + ' ' + req.uri }),
      el('div', { cls: 'code' }, req.headers.map(function (h) { return el('div', { text: h.name + ': ' + h.value }); })),
      req.body && req.body.size ? el('div', { cls: 'code' }, bodyLines(req.body, req.headers).map(function (l) {
        return el('div', { text: l.text }); })) : null]));
    var curl = el('pre', { text: req.curl });
    var copy = el('button', { type: 'button', text: 'Copy curl' });
    copy.addEventListener('click', function () { copyText(req.curl, copy); });
    box.appendChild(el('div', { cls: 'curl' }, [curl, copy]));
    var triple = el('div', { cls: 'triple' });
    triple.appendChild(renderSide('Primary', s.primary, diffPaths, noisePaths, s.fieldPaths));
    triple.appendChild(renderSide('Candidate', s.candidate, diffPaths, [], s.fieldPaths));
    if (s.secondary) triple.appendChild(renderSide('Secondary (noise)', s.secondary, [], noisePaths, s.fieldPaths));
    box.appendChild(triple);
    return box;
  }

  function covers(paths, path) {
    return paths.some(function (d) {
      return path === d || path.indexOf(d + '.') === 0 || path.indexOf(d + '[') === 0;
    });
  }

  function line(text, path, diffs, noise, focus) {
    var cls = covers(diffs, path) ? 'diff-highlight' : covers(noise, path) ? 'noise-highlight' : '';
    if (focus.indexOf(path) >= 0 && cls) cls += ' diff-focus';
    return el('div', { cls: cls, 'data-path': path, text: text });
  }

  function renderSide(title, r, diffs, noise, focus) {
    var side = el('section', { cls: 'side' }, [el('h5', { text: title + ' · ' + ms(r.latencyMicros) })]);
    var code = el('div', { cls: 'code' });
    if (r.failure) {
      code.appendChild(line('no answer: ' + r.failure + ' ' + (r.failureMessage || ''), 'status', diffs, noise, focus));
      side.appendChild(code);
      return side;
    }
    code.appendChild(line('HTTP ' + r.status, 'status', diffs, noise, focus));
    r.headers.forEach(function (h) { code.appendChild(line(h.name + ': ' + h.value, 'header.' + h.name.toLowerCase(), diffs, noise, focus)); });
    code.appendChild(el('div', { text: '' }));
    bodyLines(r.body, r.headers).forEach(function (l) { code.appendChild(line(l.text, l.path, diffs, noise, focus)); });
    if (r.body && r.body.truncated) code.appendChild(el('div', { cls: 'muted', text: '… cut (' + r.body.size + ' bytes in all)' }));
    side.appendChild(code);
    return side;
  }

  function header(headers, name) {
    var h = headers.filter(function (x) { return x.name.toLowerCase() === name; })[0];
    return h ? h.value.toLowerCase() : '';
  }

  function member(path, key) {
    return key === '' || /[.\[\]"]/.test(key) ? path + '["' + key.replace(/"/g, '\\"') + '"]' : path + '.' + key;
  }

  function jsonLines(v, path, prefix, indent, comma, out) {
    var pad = new Array(indent + 1).join('  ');
    if (Array.isArray(v) || (v && typeof v === 'object')) {
      var isArr = Array.isArray(v), keys = isArr ? v.map(function (_, i) { return i; }) : Object.keys(v);
      if (!keys.length) { out.push({ text: pad + prefix + (isArr ? '[]' : '{}') + comma, path: path }); return out; }
      out.push({ text: pad + prefix + (isArr ? '[' : '{'), path: path });
      keys.forEach(function (k, i) {
        var sep = i < keys.length - 1 ? ',' : '';
        if (isArr) jsonLines(v[k], path + '[' + k + ']', '', indent + 1, sep, out);
        else jsonLines(v[k], member(path, k), JSON.stringify(k) + ': ', indent + 1, sep, out);
      });
      out.push({ text: pad + (isArr ? ']' : '}') + comma, path: path });
    } else {
      out.push({ text: pad + prefix + JSON.stringify(v) + comma, path: path });
    }
    return out;
  }

  /** Body lines with the field path of each, in the engine's path scheme. */
  function bodyLines(body, headers) {
    if (!body || !body.size) return [];
    if (body.encoding === 'base64') return [{ text: '(binary, ' + body.size + ' bytes)', path: 'body' }];
    var type = header(headers, 'content-type');
    if (type.indexOf('json') >= 0 && !body.truncated) {
      try { return jsonLines(JSON.parse(body.text), 'body', '', 0, '', []); } catch (ignored) { /* shown as text */ }
    }
    if (type.indexOf('application/x-www-form-urlencoded') === 0) {
      var out = [], seen = {}, params = new URLSearchParams(body.text);
      params.forEach(function (_, k) { seen[k] = (seen[k] || 0) + 1; });
      var at = {};
      params.forEach(function (val, k) {
        var p = member('body.form', k);
        if (seen[k] > 1) { at[k] = (at[k] || 0); p += '[' + at[k]++ + ']'; }
        out.push({ text: k + '=' + val, path: p });
      });
      return out;
    }
    return body.text.split('\n').map(function (t, i) { return { text: t, path: 'body.line[' + (i + 1) + ']' }; });
  }

  function copyText(text, button) {
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy curl'; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else { fallbackCopy(text); done(); }
  }

  function fallbackCopy(text) {
    var area = el('textarea', { readonly: '' });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (ignored) { /* the text stays selectable on the page */ }
    document.body.removeChild(area);
  }

  /* ---------- mutations ---------- */
  function addRule(path) {
    var isHeader = path.indexOf('header.') === 0;
    var rule = { kind: isHeader ? 'header' : 'path', pattern: isHeader ? path.slice(7) : path };
    if (!$('rule-global').checked) rule.endpoint = state.endpoint;
    api('rules', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) })
      .then(loadDetail).catch(function (e) { alert('Could not add the rule: ' + e.message); });
  }

  function removeRule(id) {
    api('rules/' + id, { method: 'DELETE' }).then(loadDetail)
      .catch(function (e) { alert('Could not remove the rule: ' + e.message); });
  }

  function clearAll() {
    if (!confirm('Forget every diff result and example? Ignore rules stay.')) return;
    api('clear', { method: 'POST' }).then(function () {
      loadStatus();
      if (state.endpoint) closeEndpoint(); else loadOverview();
    }).catch(function (e) { alert('Could not clear: ' + e.message); });
  }

  /* ---------- live updates ---------- */
  function scheduleRefresh() {
    if (state.refreshTimer) return;
    state.refreshTimer = setTimeout(function () {
      state.refreshTimer = null;
      if (state.endpoint) loadDetail(); else loadOverview();
    }, 1000);
  }

  function listen() {
    if (!window.EventSource) return;
    var source = new EventSource(API + 'events'), live = $('live');
    source.onopen = function () { live.className = 'live on'; };
    source.onerror = function () { live.className = 'live off'; };
    source.addEventListener('exchanges', scheduleRefresh);
    source.addEventListener('rules', scheduleRefresh);
    source.addEventListener('clear', function () { loadStatus(); scheduleRefresh(); });
  }

  /* ---------- wiring ---------- */
  $('filter').addEventListener('input', renderOverview);
  $('show-noise').addEventListener('change', function () { if (state.overview) renderOverview(); if (state.detail) renderDetail(); });
  $('range').addEventListener('change', loadOverview);
  $('back').addEventListener('click', closeEndpoint);
  $('clear').addEventListener('click', clearAll);
  $('show-different').addEventListener('click', function () { state.field = null; loadSamples('kind=different', 'any difference'); });
  $('show-same').addEventListener('click', function () { state.field = null; loadSamples('kind=same', 'no difference'); });
  document.addEventListener('keydown', function (ev) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (ev.key === '/' && !typing) { ev.preventDefault(); if (state.endpoint) closeEndpoint(); else $('filter').focus(); }
    if (ev.key === 'Escape' && state.endpoint && !typing) closeEndpoint();
  });
  window.addEventListener('popstate', function () {
    var key = decodeURIComponent(location.hash.slice(1));
    if (key) openEndpoint(key); else if (state.endpoint) closeEndpoint();
  });

  loadStatus();
  loadOverview().then(function () {
    var key = decodeURIComponent(location.hash.slice(1));
    if (key) openEndpoint(key);
  });
  listen();
}());
