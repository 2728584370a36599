// The status page: reads the server's JSON answers and builds the page with DOM calls only. Every text is set as
// text (textContent), never as markup, so nothing a destination holds can add elements or scripts to the page.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = ['#1d5fd1', '#17803d', '#b42318', '#9a6700', '#7a3ec2', '#0f7c86', '#c2410c', '#4b5563', '#be185d', '#4d7c0f'];
  let selected = null;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) tr.appendChild(cell instanceof Node ? cell : el('td', cell));
    return tr;
  }

  function fill(tableId, rows, empty) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.replaceChildren();
    if (rows.length === 0) {
      const td = el('td', empty || 'none yet');
      td.colSpan = document.querySelectorAll('#' + tableId + ' thead th').length;
      body.appendChild(row([td]));
      return;
    }
    for (const r of rows) body.appendChild(r);
  }

  function num(value) {
    return el('td', value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US'), 'num');
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    if (seconds < 60) return seconds.toFixed(1) + ' s';
    const m = Math.floor(seconds / 60);
    return m + ' min ' + Math.round(seconds - m * 60) + ' s';
  }

  function time(iso) {
    return iso ? iso.replace('T', ' ').replace('Z', '') : '—';
  }

  async function getJson(url) {
    const response = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
    return response.json();
  }

  function notice(answers) {
    const box = document.getElementById('destination-state');
    const down = answers.find(a => a && a.available === false);
    box.hidden = !down;
    box.textContent = down ? (down.locked ? 'Locked: ' : 'Destination unavailable: ') + down.message : '';
    box.dataset.locked = down && down.locked ? 'true' : 'false';
  }

  function renderPipelines(data) {
    document.getElementById('now').textContent = 'server time ' + time(data.now) + ' UTC';
    fill('pipelines', data.pipelines.map(p => {
      const tr = row([el('td', p.name, 'pipeline-name'), el('td', p.connector), el('td', p.destination), el('td', p.streams.join(', ')), el('td', p.webhooks ? 'yes' : 'no')]);
      tr.dataset.pipeline = p.name;
      if (p.name === selected) tr.classList.add('selected');
      tr.addEventListener('click', () => { selected = p.name; load(); });
      return tr;
    }), 'no pipelines');
    return data.pipelines;
  }

  function renderJobs(pipeline, runs) {
    const last = (runs && runs.last) || {};
    const next = (runs && runs.next) || {};
    const jobs = pipeline.jobs.slice();
    for (const job of Object.keys(last).concat(Object.keys(next))) if (!jobs.includes(job)) jobs.push(job);
    fill('jobs', jobs.map(job => {
      const run = last[job];
      const tables = run && run.tables ? Object.entries(run.tables).map(([t, n]) => t + ': ' + Number(n).toLocaleString('en-US')).join(', ') : '—';
      const status = el('td', run ? run.status : '—', run ? 'status-' + run.status : null);
      const tr = row([el('td', job), el('td', run ? time(run.started_at) : 'never'), status, el('td', run ? duration(run.duration_seconds) : '—'),
        el('td', tables, 'message'), el('td', next[job] && next[job].next_fire ? time(next[job].next_fire) : '—')]);
      tr.dataset.job = job;
      return tr;
    }));
  }

  function renderRuns(runs) {
    fill('runs', ((runs && runs.recent) || []).map(r => {
      const tr = row([el('td', time(r.started_at)), el('td', r.job), el('td', r.status, 'status-' + r.status), el('td', duration(r.duration_seconds)), num(r.rows), el('td', r.message, 'message')]);
      tr.dataset.runId = r.run_id;
      return tr;
    }));
  }

  function renderWebhooks(pipeline, hooks) {
    if (!hooks || hooks.available === false) { fill('webhooks', []); return; }
    fill('webhooks', [row([num(hooks.applied), num(hooks.unapplied), num(hooks.received), num(hooks.rejected),
      pipeline.webhooks ? num(hooks.spool) : el('td', '—', 'num')])]);
  }

  // The kinds to filter by: the usual ones and any other the pipeline's journal holds, the choice kept.
  function renderKinds(known, journal) {
    const select = document.getElementById('journal-kind');
    const chosen = select.value;
    const kinds = [...new Set(known.concat((journal && journal.kinds) || []).filter(k => k))].sort();
    if (chosen && !kinds.includes(chosen)) kinds.push(chosen);
    const options = [el('option', 'all')];
    options[0].value = '';
    for (const kind of kinds) {
      const option = el('option', kind);
      option.value = kind;
      options.push(option);
    }
    select.replaceChildren(...options);
    select.value = chosen;
  }

  function renderJournal(id, journal, withJob) {
    fill(id, ((journal && journal.entries) || []).map(e => withJob
      ? row([el('td', time(e.time)), el('td', e.job), el('td', e.kind), el('td', e.level, 'level-' + e.level), el('td', e.message, 'message')])
      : row([el('td', time(e.time)), el('td', e.level, 'level-' + e.level), el('td', e.message, 'message'), el('td', e.details, 'message')])));
  }

  // A stacked bar per day, one colour per table: drawn as SVG rects, each with a title for its numbers.
  function renderChart(chart) {
    const host = document.getElementById('chart');
    const legend = document.getElementById('chart-legend');
    host.replaceChildren();
    legend.replaceChildren();
    const points = (chart && chart.points) || [];
    if (points.length === 0) { host.appendChild(el('p', 'No rows loaded yet.')); return; }
    const days = [...new Set(points.map(p => p.day))].sort();
    const tables = [...new Set(points.map(p => p.table))].sort();
    const totals = days.map(d => points.filter(p => p.day === d).reduce((s, p) => s + Number(p.rows || 0), 0));
    const max = Math.max(1, ...totals);
    const width = Math.max(320, days.length * 48 + 70), height = 240, top = 10, bottom = 40, left = 60;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'rows loaded per day per table');
    const plot = height - top - bottom;
    const text = (x, y, value, anchor) => {
      const t = document.createElementNS(SVG, 'text');
      t.setAttribute('x', x); t.setAttribute('y', y); t.setAttribute('font-size', '10'); t.setAttribute('text-anchor', anchor);
      t.textContent = value;
      svg.appendChild(t);
    };
    text(left - 6, top + 8, max.toLocaleString('en-US'), 'end');
    text(left - 6, top + plot, '0', 'end');
    const axis = document.createElementNS(SVG, 'path');
    axis.setAttribute('d', 'M' + left + ' ' + top + ' V' + (top + plot) + ' H' + (width - 5));
    axis.setAttribute('stroke', '#8a94a0'); axis.setAttribute('fill', 'none');
    svg.appendChild(axis);
    days.forEach((day, i) => {
      const x = left + 8 + i * 48;
      let y = top + plot;
      for (const table of tables) {
        const point = points.find(p => p.day === day && p.table === table);
        const rows = point ? Number(point.rows || 0) : 0;
        if (rows <= 0) continue;
        const h = Math.max(1, rows / max * plot);
        y -= h;
        const rect = document.createElementNS(SVG, 'rect');
        rect.setAttribute('x', x); rect.setAttribute('y', y); rect.setAttribute('width', 36); rect.setAttribute('height', h);
        rect.setAttribute('fill', COLORS[tables.indexOf(table) % COLORS.length]);
        rect.setAttribute('class', 'bar');
        rect.dataset.table = table;
        rect.dataset.day = day;
        rect.dataset.rows = String(rows);
        const title = document.createElementNS(SVG, 'title');
        title.textContent = day + ' ' + table + ': ' + rows.toLocaleString('en-US') + ' rows';
        rect.appendChild(title);
        svg.appendChild(rect);
      }
      text(x + 18, top + plot + 14, day.slice(5), 'middle');
    });
    host.appendChild(svg);
    tables.forEach((table, i) => {
      const item = el('li');
      const swatch = el('span', null, 'swatch');
      swatch.style.backgroundColor = COLORS[i % COLORS.length];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(table));
      item.dataset.table = table;
      legend.appendChild(item);
    });
  }

  async function load() {
    let pipelines, known;
    try {
      const data = await getJson('/api/pipelines');
      known = data.journal_kinds;
      pipelines = renderPipelines(data);
    } catch (e) {
      document.getElementById('now').textContent = 'the server does not answer: ' + e.message;
      return;
    }
    if (pipelines.length === 0) return;
    if (!pipelines.some(p => p.name === selected)) selected = pipelines[0].name;
    const pipeline = pipelines.find(p => p.name === selected);
    for (const tr of document.querySelectorAll('#pipelines tbody tr')) tr.classList.toggle('selected', tr.dataset.pipeline === selected);
    document.getElementById('pipeline-view').hidden = false;
    document.getElementById('pipeline-title').textContent = pipeline.name;
    const base = '/api/pipelines/' + encodeURIComponent(pipeline.name);
    const kind = document.getElementById('journal-kind').value;
    // One after another: the server reads the destination once at a time anyway.
    const runs = await getJson(base + '/runs');
    const chart = await getJson(base + '/chart');
    const journal = await getJson(base + '/journal?limit=200' + (kind ? '&kind=' + encodeURIComponent(kind) : ''));
    const findings = await getJson(base + '/journal?limit=50&kind=reconcile');
    const hooks = await getJson(base + '/webhooks');
    notice([runs, chart, journal, findings, hooks]);
    renderJobs(pipeline, runs.available === false ? null : runs);
    renderRuns(runs.available === false ? null : runs);
    renderChart(chart.available === false ? null : chart);
    renderKinds(known, journal.available === false ? null : journal);
    renderJournal('journal', journal.available === false ? null : journal, true);
    renderJournal('findings', findings.available === false ? null : findings, false);
    renderWebhooks(pipeline, hooks);
    document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('refresh').addEventListener('click', load);
    document.getElementById('journal-kind').addEventListener('change', load);
    load();
    setInterval(load, 30000);
  });
})();
