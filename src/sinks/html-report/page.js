// exfilscope report page script (browser, inlined by render.ts and allowed by its CSP hash).
// Reads the JSON data island and builds the DOM with createElement/textContent only: no value is ever parsed as
// markup, no handler is inline, links are made only from http(s) URLs the report marked and this page re-parses.
// Strings arrive already in their visible form (controls as ␀, bidi as ⟪U+202E⟫); search is a plain substring.
(function () {
  'use strict';
  // Marks let the benchmark split the opening time into its phases.
  performance.mark('report:start');
  var data = JSON.parse(document.getElementById('report-data').textContent);
  performance.mark('report:parsed');
  var TEXT = data.strings.text;
  var CUT = new Map(data.strings.cut);
  var HREF = new Map(data.strings.href);
  var IDN = new Map(data.strings.idn);
  var COL = {};
  data.findingColumns.forEach(function (name, i) { COL[name] = i; });
  var ITEMS = data.findings;
  // Rows arrive with trailing empty columns left off; restore them so every column reads as a value or null.
  ITEMS.forEach(function (row) {
    while (row.length < data.findingColumns.length) row.push(null);
    row[COL.evidence] = (row[COL.evidence] || []).map(function (e) { while (e.length < 5) e.push(null); return e; });
    row[COL.start] += data.timeBase;
    row.push(row[COL.start] + row[COL.duration]);
  });
  var END = data.findingColumns.length;
  var SHORT_CHARS = 160;
  var PAGE_ROWS = 100;
  var DESTINATION_ROWS = 25;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function cutSafely(text, max) {
    if (text.length <= max) return text;
    var last = text.charCodeAt(max - 1);
    return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
  }

  function safeHref(href) {
    try {
      var url = new URL(href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** A value from the string table: shortened with a "show all" button, a link only for a marked http(s) URL. */
  function value(idx) {
    if (idx === null || idx === undefined) return el('span', 'none', '–');
    var text = TEXT[idx];
    var wrap = el('span', 'v');
    var link = HREF.has(idx) ? safeHref(HREF.get(idx)) : null;
    var holder = el(link ? 'a' : 'span');
    if (link) {
      holder.href = link;
      holder.rel = 'noopener noreferrer nofollow';
      holder.referrerPolicy = 'no-referrer';
      holder.target = '_blank';
    }
    wrap.appendChild(holder);
    if (text.length > SHORT_CHARS) {
      var short = cutSafely(text, SHORT_CHARS) + '…';
      holder.textContent = short;
      var button = el('button', 'more', 'show all ' + text.length + ' characters');
      button.type = 'button';
      var open = false;
      button.addEventListener('click', function (event) {
        event.stopPropagation();
        open = !open;
        holder.textContent = open ? text : short;
        button.textContent = open ? 'show less' : 'show all ' + text.length + ' characters';
      });
      wrap.appendChild(button);
    } else {
      holder.textContent = text;
    }
    if (IDN.has(idx)) wrap.appendChild(el('span', 'idn', ' [punycode: ' + IDN.get(idx) + ']'));
    if (CUT.has(idx)) wrap.appendChild(el('span', 'cut', ' [' + CUT.get(idx).toLocaleString('en') + ' more characters not included in this report]'));
    return wrap;
  }

  function iso(ts) {
    if (typeof ts !== 'number' || !isFinite(ts)) return '–';
    var d = new Date(ts * 1000);
    return isNaN(d.getTime()) ? String(ts) : d.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }

  function bytes(n) {
    if (n === null || n === undefined) return '–';
    var units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
    var i = 0;
    var v = n;
    while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return (i === 0 ? String(v) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)) + ' ' + units[i];
  }

  function cell(content, className) {
    var td = el('td', className);
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content === null || content === undefined ? '–' : String(content);
    return td;
  }

  function tableRow(headers, cells) {
    var row = el('tr');
    cells.forEach(function (c, i) { row.appendChild(cell(c, headers[i].num ? 'num' : '')); });
    return row;
  }

  function table(headers, rows, className) {
    var t = el('table', className);
    var head = el('thead');
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', h.num ? 'num' : '', h.label || h)); });
    head.appendChild(tr);
    t.appendChild(head);
    var body = el('tbody');
    rows.forEach(function (cells) { body.appendChild(tableRow(headers, cells)); });
    t.appendChild(body);
    return t;
  }

  function num(label) { return { label: label, num: true }; }

  // ---- run summary and input health ----
  function renderSummary() {
    var s = data.summary;
    document.getElementById('generated').textContent = 'Generated ' + data.generatedAt + ' by exfilscope ' + data.version +
      (data.span ? ' · findings span ' + iso(data.span[0]) + ' to ' + iso(data.span[1]) + ' UTC' : '');
    var totals = { records: 0, events: 0, skipped: 0, failed: 0 };
    s.inputs.forEach(function (i) {
      totals.records += i[4];
      totals.events += i[5];
      i[6].forEach(function (a) { totals.skipped += a[1]; });
      if (i[8] !== null) totals.failed++;
    });
    var cards = document.getElementById('cards');
    [
      ['Inputs', s.inputs.length + (totals.failed ? ' (' + totals.failed + ' failed)' : '')],
      ['Records read', totals.records.toLocaleString('en')],
      ['Events', totals.events.toLocaleString('en')],
      ['Skipped (damaged)', totals.skipped.toLocaleString('en')],
      ['Findings', ITEMS.length.toLocaleString('en')],
      ['Run time', s.elapsed.toFixed(2) + ' s'],
    ].forEach(function (c) {
      var card = el('div', 'card');
      card.appendChild(el('b', '', c[1]));
      card.appendChild(el('span', 'muted', c[0]));
      cards.appendChild(card);
    });
    var byAnalytic = document.getElementById('by-analytic');
    if (s.findingsByAnalytic.length > 0) {
      byAnalytic.appendChild(table(['Analytic', num('Findings')], s.findingsByAnalytic.map(function (a) {
        return [value(a[0]), a[1].toLocaleString('en')];
      })));
    }
    if (s.detectorLimits.length > 0) {
      byAnalytic.appendChild(el('p', 'muted', 'Detector state limits were hit: state was evicted, so totals spanning the eviction may be split (each limit is a config key).'));
      byAnalytic.appendChild(table(['Limit', num('Times hit')], s.detectorLimits.map(function (l) {
        return [value(l[0]), l[1].toLocaleString('en')];
      })));
    }
    var rows = s.inputs.map(function (i) {
      var problems = el('div');
      if (i[8] !== null) { problems.appendChild(el('strong', '', 'error: ')); problems.appendChild(value(i[8])); }
      if (i[9] !== null) { problems.appendChild(el('span', '', 'passed over: ')); problems.appendChild(value(i[9])); }
      i[6].forEach(function (a) {
        var line = el('div');
        line.appendChild(el('span', '', 'skipped ' + a[1].toLocaleString('en') + ' × '));
        line.appendChild(value(a[0]));
        a[2].forEach(function (ex) {
          var where = ex[0] !== null ? 'line ' + ex[0] : ex[1] !== null ? 'byte ' + ex[1] : '';
          line.appendChild(el('span', 'muted', ' (' + where + (ex[2] !== null ? ': ' : ')')));
          if (ex[2] !== null) { line.appendChild(value(ex[2])); line.appendChild(el('span', 'muted', ')')); }
        });
        problems.appendChild(line);
      });
      i[7].forEach(function (n) { var line = el('div', 'muted', 'note: '); line.appendChild(value(n)); problems.appendChild(line); });
      var compression = el('span');
      i[2].forEach(function (c, k) { if (k) compression.appendChild(document.createTextNode('+')); compression.appendChild(value(c)); });
      return [value(i[0]), value(i[1]), compression, bytes(i[3]), i[4].toLocaleString('en'), i[5].toLocaleString('en'), problems];
    });
    document.getElementById('inputs').appendChild(table(['Input', 'Format', 'Compression', num('Bytes'), num('Records'), num('Events'), 'Skipped, errors and notes'], rows));
  }

  // ---- findings list, filters and search ----
  var lowered = null;
  var matchedStrings = null;
  var shown = 0;
  var filtered = [];

  function itemStrings(item, visit) {
    ['analytic', 'technique', 'host', 'src_ip', 'dst_ip', 'proto', 'reason'].forEach(function (c) { visit(item[COL[c]]); });
    var p = item[COL.process];
    if (p) { visit(p[0]); visit(p[1]); visit(p[2]); visit(p[4]); }
    item[COL.evidence].forEach(function (e) { visit(e[0]); visit(e[1]); visit(e[4]); });
    var details = item[COL.details];
    if (details) details.forEach(function (d) { visit(d[0]); if (Array.isArray(d[1])) d[1].forEach(visit); else visit(d[1]); });
  }

  /** Marks the strings containing the query (plain, case-insensitive substring; never a pattern). */
  function matchStrings(query) {
    if (lowered === null) lowered = TEXT.map(function (t) { return t.toLowerCase(); });
    var marks = new Uint8Array(TEXT.length);
    for (var i = 0; i < lowered.length; i++) if (lowered[i].indexOf(query) !== -1) marks[i] = 1;
    return marks;
  }

  function itemMatchesQuery(item, query) {
    if (String(item[COL.id]).indexOf(query) !== -1) return true;
    if (item[COL.dst_port] !== null && String(item[COL.dst_port]).indexOf(query) !== -1) return true;
    var hit = false;
    itemStrings(item, function (idx) { if (idx !== null && matchedStrings[idx]) hit = true; });
    return hit;
  }

  function hostOf(item) { return item[COL.host] !== null ? item[COL.host] : item[COL.src_ip]; }

  function applyFilters() {
    var host = document.getElementById('f-host').value;
    var risk = Number(document.getElementById('f-risk').value);
    var analytic = document.getElementById('f-analytic').value;
    var technique = document.getElementById('f-technique').value;
    var query = document.getElementById('f-search').value.toLowerCase();
    matchedStrings = query ? matchStrings(query) : null;
    filtered = ITEMS.filter(function (item) {
      if (item[COL.risk] < risk) return false;
      if (host !== '' && String(hostOf(item)) !== host) return false;
      if (analytic !== '' && String(item[COL.analytic]) !== analytic) return false;
      if (technique !== '' && String(item[COL.technique]) !== technique) return false;
      return query === '' || itemMatchesQuery(item, query);
    });
    var body = document.getElementById('finding-rows');
    body.textContent = '';
    shown = 0;
    showMore();
  }

  function showMore() {
    var body = document.getElementById('finding-rows');
    var end = Math.min(filtered.length, shown + PAGE_ROWS);
    for (var i = shown; i < end; i++) appendItem(body, filtered[i]);
    shown = end;
    document.getElementById('f-count').textContent = filtered.length.toLocaleString('en') + ' of ' + ITEMS.length.toLocaleString('en') + ' findings' +
      (shown < filtered.length ? ' (first ' + shown.toLocaleString('en') + ' shown)' : '');
    var more = document.getElementById('more-findings');
    more.hidden = shown >= filtered.length;
    more.textContent = 'show ' + Math.min(PAGE_ROWS, filtered.length - shown) + ' more';
  }

  function destinationNode(item) {
    var span = el('span');
    span.appendChild(value(item[COL.dst_ip]));
    if (item[COL.dst_port] !== null) span.appendChild(el('span', 'v', ':' + item[COL.dst_port]));
    return span;
  }

  function appendItem(body, item) {
    var row = el('tr', 'finding');
    var toggle = el('button', 'toggle', '+');
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', 'false');
    toggle.title = 'details';
    var risk = item[COL.risk];
    var badge = el('span', 'risk' + (risk >= 9 ? ' hi' : risk >= 7 ? ' mid' : ''), risk);
    [toggle, badge, value(item[COL.analytic]), value(item[COL.technique]),
      el('span', '', iso(item[COL.start]) + ' – ' + iso(item[END])),
      value(hostOf(item)), destinationNode(item), value(item[COL.reason])].forEach(function (c) { row.appendChild(cell(c)); });
    body.appendChild(row);
    var detail = null;
    toggle.addEventListener('click', function () {
      if (detail === null) {
        detail = el('tr', 'detail');
        var td = el('td');
        td.colSpan = 8;
        td.appendChild(itemDetail(item));
        detail.appendChild(td);
        row.parentNode.insertBefore(detail, row.nextSibling);
      } else {
        detail.hidden = !detail.hidden;
      }
      var open = !detail.hidden;
      toggle.textContent = open ? '−' : '+';
      toggle.setAttribute('aria-expanded', String(open));
    });
  }

  /** The stages of an item on a timeline across the whole run: one stage for a finding, several for an incident. */
  function timeline(stages) {
    var box = el('div');
    var span = data.span || [stages[0][1], stages[0][2]];
    var width = Math.max(span[1] - span[0], 1e-3);
    var bar = el('div', 'timeline');
    stages.forEach(function (stage) {
      var mark = el('div', 'stage');
      mark.style.left = (100 * (stage[1] - span[0]) / width).toFixed(3) + '%';
      mark.style.width = (100 * (stage[2] - stage[1]) / width).toFixed(3) + '%';
      mark.title = TEXT[stage[0]] + ': ' + iso(stage[1]) + ' – ' + iso(stage[2]);
      bar.appendChild(mark);
    });
    box.appendChild(bar);
    var labels = el('div', 'timeline-labels muted');
    labels.appendChild(el('span', '', iso(span[0])));
    labels.appendChild(el('span', '', iso(span[1])));
    box.appendChild(labels);
    return box;
  }

  function itemDetail(item) {
    var box = el('div');
    var stages = item[COL.stages] || [[item[COL.analytic], item[COL.start], item[END]]];
    box.appendChild(el('h3', '', 'Timeline'));
    box.appendChild(timeline(stages));
    var p = item[COL.process];
    var facts = [
      ['ID', el('span', 'v', item[COL.id])],
      ['Reason', value(item[COL.reason])],
      ['Host', value(item[COL.host])],
      ['Source', value(item[COL.src_ip])],
      ['Destination', destinationNode(item)],
      ['Protocol', value(item[COL.proto])],
      ['Bytes out / in', bytes(item[COL.bytes_out]) + ' / ' + bytes(item[COL.bytes_in])],
    ];
    if (p) {
      facts.push(['Process image', value(p[0])], ['Command line', value(p[1])], ['User', value(p[2])],
        ['PID', p[3] === null ? '–' : String(p[3])], ['Process GUID', value(p[4])]);
    }
    box.appendChild(table(['Field', 'Value'], facts, 'kv'));
    var details = item[COL.details];
    if (details && details.length > 0) {
      box.appendChild(el('h3', '', 'Measurements'));
      box.appendChild(table(['Name', 'Value'], details.map(function (d) {
        if (!Array.isArray(d[1])) return [value(d[0]), value(d[1])];
        var list = el('div');
        d[1].forEach(function (v) { var line = el('div'); line.appendChild(value(v)); list.appendChild(line); });
        return [value(d[0]), list];
      }), 'kv'));
    }
    box.appendChild(el('h3', '', 'Evidence'));
    box.appendChild(table(['Reader', 'Input', num('Line / byte'), 'Note'], item[COL.evidence].map(function (e) {
      return [value(e[0]), value(e[1]), e[2] !== null ? 'line ' + e[2] : e[3] !== null ? 'byte ' + e[3] : '–', value(e[4])];
    }), 'evidence'));
    if (item[COL.evidence_omitted] > 0) {
      box.appendChild(el('p', 'muted', item[COL.evidence_omitted] + ' more evidence entries are in the JSON export (--out).'));
    }
    return box;
  }

  function fillSelect(id, counts) {
    var select = document.getElementById(id);
    var entries = Array.from(counts.entries()).sort(function (a, b) { return b[1] - a[1]; });
    var LIMIT = 1000;
    entries.slice(0, LIMIT).forEach(function (e) {
      var option = el('option', '', cutSafely(TEXT[e[0]], 80) + ' (' + e[1] + ')');
      option.value = String(e[0]);
      select.appendChild(option);
    });
    if (entries.length > LIMIT) {
      var rest = el('option', '', (entries.length - LIMIT) + ' more: use the search box');
      rest.disabled = true;
      select.appendChild(rest);
    }
  }

  function renderFindings() {
    var hosts = new Map();
    var analytics = new Map();
    var techniques = new Map();
    ITEMS.forEach(function (item) {
      var h = hostOf(item);
      if (h !== null) hosts.set(h, (hosts.get(h) || 0) + 1);
      analytics.set(item[COL.analytic], (analytics.get(item[COL.analytic]) || 0) + 1);
      techniques.set(item[COL.technique], (techniques.get(item[COL.technique]) || 0) + 1);
    });
    fillSelect('f-host', hosts);
    fillSelect('f-analytic', analytics);
    fillSelect('f-technique', techniques);
    var risk = document.getElementById('f-risk');
    for (var r = 0; r <= 10; r++) {
      var option = el('option', '', String(r));
      option.value = String(r);
      risk.appendChild(option);
    }
    ['f-host', 'f-risk', 'f-analytic', 'f-technique'].forEach(function (id) {
      document.getElementById(id).addEventListener('change', applyFilters);
    });
    var timer = null;
    document.getElementById('f-search').addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(applyFilters, 120);
    });
    document.getElementById('more-findings').addEventListener('click', showMore);
    applyFilters();
  }

  // ---- charts ----
  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

  function chartWidth(container) { return Math.max(320, Math.min(1300, container.clientWidth || 900)); }

  function bytesTicks(u, ticks) { return ticks.map(function (t) { return t === null ? '' : bytes(t); }); }

  function label(idx) { return cutSafely(TEXT[idx], 48) + (TEXT[idx].length > 48 ? '…' : ''); }

  function empty(container, message) { container.appendChild(el('p', 'muted', message)); }

  function pointSeries(name, colour) {
    return { label: name, stroke: colour, fill: colour, paths: function () { return null; }, points: { show: true, size: 7, width: 1, stroke: colour, fill: colour } };
  }

  function drawVolume(agg) {
    var box = document.getElementById('chart-volume');
    var s = agg && agg.series;
    if (!s || s.destinations.length === 0) return empty(box, 'No flow or firewall events with outbound bytes in this run.');
    var series = [{ label: 'time (UTC)' }].concat(s.destinations.map(function (d, i) {
      return { label: label(d), stroke: PALETTE[i % PALETTE.length], width: 2, points: { show: true, size: 4 }, value: function (u, v) { return bytes(v); } };
    }));
    // Log scale, so a steady trickle stays visible beside one large transfer; empty buckets are gaps.
    var values = s.values.map(function (row) { return row.map(function (v) { return v > 0 ? v : null; }); });
    new uPlot({
      width: chartWidth(box), height: 320, series: series,
      scales: { y: { distr: 3 } },
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      axes: [{}, { values: bytesTicks, size: 80 }],
    }, [s.starts].concat(values), box);
    box.appendChild(el('p', 'muted', 'Bytes sent per ' + s.bucketSeconds + ' s bucket (log scale) to the ' + s.destinations.length + ' destinations that received most.'));
  }

  function drawPairs(agg) {
    var box = document.getElementById('chart-pairs');
    if (!agg || agg.pairs.length === 0) return empty(box, 'No flow or firewall events in this run.');
    var pairs = agg.pairs.slice().sort(function (a, b) { return a[2] - b[2]; });
    var xs = pairs.map(function (p) { return Math.max(1, p[2]); });
    var lopsided = pairs.map(function (p) { return p[2] >= 10 * Math.max(1, p[3]) ? Math.max(1, p[3]) : null; });
    var balanced = pairs.map(function (p) { return p[2] >= 10 * Math.max(1, p[3]) ? null : Math.max(1, p[3]); });
    new uPlot({
      width: chartWidth(box), height: 360, legend: { live: false },
      scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
      series: [{ label: 'bytes out' }, pointSeries('sent ≥ 10× what it received', PALETTE[1]), pointSeries('other pairs', PALETTE[0])],
      axes: [{ label: 'bytes out (source → destination)', values: bytesTicks }, { label: 'bytes in', values: bytesTicks, size: 80 }],
    }, [xs, lopsided, balanced], box);
    var note = agg.pairs.length + ' pairs with most bytes out';
    if (agg.pairsFolded.entries > 0) note += '; ' + agg.pairsFolded.entries.toLocaleString('en') + ' smaller pairs folded (' + bytes(agg.pairsFolded.out) + ' out)';
    box.appendChild(el('p', 'muted', note + '. Zero is drawn as 1 B on the log scale.'));
  }

  function drawPayloads(agg) {
    var box = document.getElementById('chart-payloads');
    if (!agg || agg.payloads.length === 0) return empty(box, 'No inspected payloads in this run.');
    var points = agg.payloads.slice().sort(function (a, b) { return a[0] - b[0]; });
    var classes = [['encrypted', 'uniform: encrypted-looking', PALETTE[1]], ['compressed', 'dense, not uniform: compressed-looking', PALETTE[3]], ['other', 'structured or too small to tell', PALETTE[8]]];
    var ys = classes.map(function (c) { return points.map(function (p) { return p[3] === c[0] ? Math.max(1, p[1]) : null; }); });
    new uPlot({
      width: chartWidth(box), height: 360, legend: { live: false },
      scales: { x: { time: false, range: [0, 8] }, y: { distr: 3 } },
      series: [{ label: 'entropy' }].concat(classes.map(function (c) { return pointSeries(c[1], c[2]); })),
      axes: [{ label: 'Shannon entropy (bits/byte)' }, { label: 'chi-square vs uniform', size: 80 }],
    }, [points.map(function (p) { return p[0]; })].concat(ys), box);
    box.appendChild(el('p', 'muted', agg.payloads.length + ' of ' + agg.payloadsSeen.toLocaleString('en') + ' inspected payloads drawn.'));
  }

  // ---- destinations ----
  function destinationRow(d) {
    return [value(d[0]), bytes(d[1]), bytes(d[2]), d[3].toLocaleString('en'), d[6].join(', ') || '–', d[7] + (d[8] ? '+' : ''), iso(d[4]), iso(d[5])];
  }

  /** The first rows of a destination table, with a button for the rest: long tables cost layout time. */
  function destinationTable(box, rows) {
    var headers = ['Destination', num('Bytes out'), num('Bytes in'), num('Connections'), 'Ports', num('Sources'), 'First seen (UTC)', 'Last seen (UTC)'];
    var t = table(headers, rows.slice(0, DESTINATION_ROWS).map(destinationRow));
    box.appendChild(t);
    if (rows.length <= DESTINATION_ROWS) return;
    var more = el('button', 'more', 'show all ' + rows.length + ' rows');
    more.type = 'button';
    more.addEventListener('click', function () {
      var body = t.querySelector('tbody');
      rows.slice(DESTINATION_ROWS).forEach(function (d) { body.appendChild(tableRow(headers, destinationRow(d))); });
      more.remove();
    });
    box.appendChild(more);
  }

  function renderDestinations(agg) {
    var top = document.getElementById('top-destinations');
    var fresh = document.getElementById('new-destinations');
    if (!agg || agg.destinations.length === 0) {
      empty(top, 'No flow or firewall events in this run.');
      return;
    }
    destinationTable(top, agg.destinations);
    if (agg.destinationsFolded.entries > 0) {
      top.appendChild(el('p', 'muted', agg.destinationsFolded.entries.toLocaleString('en') + ' destinations with least traffic were folded (' + bytes(agg.destinationsFolded.out) + ' out).'));
    }
    destinationTable(fresh, agg.newestDestinations);
  }

  renderSummary();
  renderFindings();
  performance.mark('report:findings');
  renderDestinations(data.aggregates);
  performance.mark('report:destinations');
  // Charts need uPlot; a failure there must not hide the findings above.
  [drawVolume, drawPairs, drawPayloads].forEach(function (draw) {
    try {
      draw(data.aggregates);
    } catch (err) {
      console.error(err);
    }
  });
  performance.mark('report:charts');
  document.body.setAttribute('data-ready', '1');
})();
