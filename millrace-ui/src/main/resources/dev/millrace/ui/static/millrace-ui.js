/* Live charts and numbers for the Millrace streaming page: polls the REST API once a second
 * and redraws with uPlot. The page is complete without this script. */
(function () {
  'use strict';
  document.documentElement.className += ' js';
  var body = document.body;
  var appId = body.getAttribute('data-app-id');
  var batchMs = Number(body.getAttribute('data-batch-ms'));
  var base = '/api/v1/applications/' + encodeURIComponent(appId) + '/streaming/';
  var metrics = [
    { key: 'inputRate', unit: 'records/sec', value: function (b) { return b.inputSize * 1000 / batchMs; } },
    { key: 'schedulingDelay', unit: 'ms', value: function (b) { return b.schedulingDelay; } },
    { key: 'processingTime', unit: 'ms', value: function (b) { return b.processingTime; } },
    { key: 'totalDelay', unit: 'ms', value: function (b) { return b.totalDelay; } }
  ];
  var charts = {};
  window.millraceCharts = charts;

  function el(id) { return document.getElementById(id); }
  function size(node) { return Math.max(240, node.clientWidth || 480); }

  function timeline(m) {
    var node = el('timeline-' + m.key);
    return new uPlot({
      width: size(node), height: 150, legend: { show: false },
      scales: { x: { time: true } },
      series: [{}, { label: m.unit, stroke: '#2c6fbb', fill: 'rgba(44,111,187,0.15)', width: 1.5,
        points: { show: true, size: 4 } }],
      axes: [{}, { size: 64, label: m.unit, labelSize: 14 }]
    }, [[], []], node);
  }

  function histogram(m) {
    var node = el('histogram-' + m.key);
    return new uPlot({
      width: size(node), height: 150, legend: { show: false },
      scales: {
        // half a bin of room on each side, so the outer bars show whole
        x: { time: false, range: function (u, min, max) {
          var xs = u.data[0], w = xs.length > 1 ? xs[1] - xs[0] : Math.max(1, Math.abs(min) * 0.2);
          return [min - w / 2, max + w / 2];
        } },
        y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.1]; } }
      },
      series: [{}, { label: 'batches', stroke: '#1f3a5f', fill: 'rgba(31,58,95,0.5)',
        paths: uPlot.paths.bars({ size: [0.9, 60] }), points: { show: false } }],
      axes: [{ label: m.unit, labelSize: 14 }, { size: 40 }]
    }, [[], []], node);
  }

  /** Ten equal-width bins between the smallest and the largest value: [centres, counts]. */
  function bins(values) {
    if (values.length === 0) { return [[], []]; }
    var min = Math.min.apply(null, values), max = Math.max.apply(null, values);
    var n = min === max ? 1 : 10, width = (max - min) / n || 1;
    var centres = [], counts = [];
    for (var i = 0; i < n; i++) { centres.push(min + width * (i + 0.5)); counts.push(0); }
    if (n === 1) { centres[0] = min; }
    values.forEach(function (v) { counts[Math.min(n - 1, Math.floor((v - min) / width))]++; });
    return [centres, counts];
  }

  function pad(n, w) { var s = String(n); while (s.length < w) { s = '0' + s; } return s; }
  function time(ms) {
    var d = new Date(ms);
    return d.getFullYear() + '/' + pad(d.getMonth() + 1, 2) + '/' + pad(d.getDate(), 2) + ' ' + pad(d.getHours(), 2) +
      ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2) + '.' + pad(d.getMilliseconds(), 3);
  }
  function duration(ms) {
    if (ms === undefined || ms === null) { return '-'; }
    if (ms < 1000) { return ms + ' ms'; }
    if (ms < 60000) { return (ms / 1000).toFixed(1) + ' s'; }
    if (ms < 3600000) { return (ms / 60000).toFixed(1) + ' min'; }
    return (ms / 3600000).toFixed(1) + ' h';
  }
  function cell(row, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }
  function fillBatches(tableId, batches) {
    var table = el(tableId);
    if (!table) { return; }
    var tbody = table.tBodies[0];
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    if (batches.length === 0) {
      var empty = document.createElement('tr');
      cell(empty, 'None').colSpan = 7;
      tbody.appendChild(empty);
    }
    batches.forEach(function (b) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-batch-id', b.batchId);
      var a = document.createElement('a');
      a.href = '/streaming/batch?id=' + b.batchId;
      a.textContent = time(b.batchId);
      cell(tr, '').appendChild(a);
      cell(tr, b.inputSize + ' records');
      cell(tr, duration(b.schedulingDelay));
      cell(tr, duration(b.processingTime));
      cell(tr, duration(b.totalDelay));
      cell(tr, b.numCompletedOutputOps + '/' + b.numTotalOutputOps);
      if (b.firstFailureReason) {
        cell(tr, 'failed: ' + b.firstFailureReason.split('\n')[0], 'bad');
      } else {
        cell(tr, b.status.toLowerCase());
      }
      tbody.appendChild(tr);
    });
  }
  function setText(selector, text) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (n) { n.textContent = text; });
  }

  function showBatches(all) {
    var done = all.filter(function (b) { return b.status === 'COMPLETED'; });
    var oldestFirst = done.slice().reverse();
    var xs = oldestFirst.map(function (b) { return b.batchId / 1000; });
    metrics.forEach(function (m) {
      var ys = oldestFirst.map(function (b) { var v = m.value(b); return v === undefined ? null : v; });
      charts[m.key].setData([xs, ys]);
      charts[m.key + 'Histogram'].setData(bins(ys.filter(function (v) { return v !== null; })));
    });
    setText('#running-count', all.filter(function (b) { return b.status === 'PROCESSING'; }).length);
    setText('#waiting-count', all.filter(function (b) { return b.status === 'QUEUED'; }).length);
    fillBatches('active-batches', all.filter(function (b) { return b.status !== 'COMPLETED'; }));
    fillBatches('recent-batches', done.slice(0, 10));
  }

  function showStatistics(s) {
    setText('[data-stat="numTotalCompletedBatches"]', s.numTotalCompletedBatches);
    setText('#completed-count', s.numTotalCompletedBatches);
    setText('[data-stat="numReceivedRecords"]', s.numReceivedRecords);
    setText('[data-avg="inputRate"]', s.avgInputRate === undefined ? '-' : s.avgInputRate.toFixed(2) + ' records/sec');
    setText('[data-avg="schedulingDelay"]', duration(s.avgSchedulingDelay));
    setText('[data-avg="processingTime"]', duration(s.avgProcessingTime));
    setText('[data-avg="totalDelay"]', duration(s.avgTotalDelay));
  }

  var live = document.createElement('p');
  live.id = 'live';
  document.querySelector('main').insertBefore(live, document.querySelector('main h2'));

  function json(path) {
    return fetch(base + path, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error(r.status + ' ' + r.statusText); }
      return r.json();
    });
  }
  function refresh() {
    Promise.all([json('batches'), json('statistics')]).then(function (res) {
      showBatches(res[0]);
      showStatistics(res[1]);
      live.textContent = 'Live: updated ' + new Date().toLocaleTimeString();
      body.setAttribute('data-refreshes', String(Number(body.getAttribute('data-refreshes') || 0) + 1));
    }).catch(function (e) {
      live.textContent = 'Not updating: the job stopped or cannot be reached (' + e.message + ')';
    });
  }

  metrics.forEach(function (m) {
    charts[m.key] = timeline(m);
    charts[m.key + 'Histogram'] = histogram(m);
  });
  refresh();
  setInterval(refresh, 1000);
})();
