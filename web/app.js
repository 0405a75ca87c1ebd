// heard dashboard: reads the JSON API of `heard serve` with a key the
// manager types in. No build step, no dependencies. Every value from the
// server is put into the page as text (textContent), never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
const STORE = 'heard.key';
let key = sessionStorage.getItem(STORE) || localStorage.getItem(STORE) || '';
let convOffset = 0;
let currentConv = null;

function status(msg, isError) {
  const s = $('status');
  s.textContent = msg || '';
  s.className = isError ? 'error' : '';
}

async function api(path, opts = {}) {
  const headers = Object.assign({ Authorization: 'Bearer ' + key }, opts.headers || {});
  const res = await fetch(path, Object.assign({}, opts, { headers }));
  if (!res.ok) {
    let msg = res.status + ' ' + res.statusText;
    try {
      const e = await res.json();
      msg = e.error + (e.detail && typeof e.detail === 'string' ? ': ' + e.detail : '');
    } catch (_) { /* not JSON */ }
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return res;
}

function query(extra) {
  const f = new FormData($('filters'));
  const q = new URLSearchParams();
  for (const [k, v] of f.entries()) if (v) q.set(k, v);
  for (const [k, v] of Object.entries(extra || {})) if (v !== '' && v != null) q.set(k, v); else q.delete(k);
  return q;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fmt(v, digits = 1) {
  if (v == null) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  return String(v);
}
const pct = (v) => (v == null ? '–' : Math.round(v * 100) + '%');

// columns: [header, value(row) -> string, numeric?]
function table(id, columns, rows, onClick) {
  const t = $(id);
  const caption = t.querySelector('caption');
  t.replaceChildren();
  if (caption) t.appendChild(caption);
  const head = el('thead');
  const hr = el('tr');
  for (const [h, , num] of columns) {
    const th = el('th', h, num ? 'num' : '');
    th.scope = 'col';
    hr.appendChild(th);
  }
  head.appendChild(hr);
  t.appendChild(head);
  const body = el('tbody');
  if (!rows.length) {
    const tr = el('tr');
    const td = el('td', 'Nothing yet.');
    td.colSpan = columns.length;
    tr.appendChild(td);
    body.appendChild(tr);
  }
  for (const r of rows) {
    const tr = el('tr');
    for (const [, get, num] of columns) {
      const v = get(r);
      const td = el('td', null, num ? 'num' : '');
      if (v instanceof Node) td.appendChild(v); else td.textContent = v;
      tr.appendChild(td);
    }
    if (onClick) {
      tr.className = 'clickable';
      tr.tabIndex = 0;
      tr.addEventListener('click', () => onClick(r));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') onClick(r); });
    }
    body.appendChild(tr);
  }
  t.appendChild(body);
}

function flagsNode(flags) {
  const span = el('span');
  for (const f of flags || []) span.appendChild(el('span', f.replace(/_/g, ' '), 'flag'));
  return span;
}

async function loadStats() {
  const q = query();
  const data = await (await api('/v1/stats?' + q)).json();
  table('stats', [
    [q.get('group_by') || 'group', (g) => fmt(g.key)],
    ['conversations', (g) => fmt(g.conversations), true],
    ['empathy (0–100)', (g) => fmt(g.empathy_mean), true],
    ['missed opportunities', (g) => pct(g.missed_opportunity_rate), true],
    ['polite, not empathetic', (g) => pct(g.polite_not_empathetic_rate), true],
    ['mean wait (s)', (g) => fmt(g.wait_mean_seconds, 0), true],
    ['max wait (s)', (g) => fmt(g.wait_max_seconds, 0), true],
    ['felt heard, predicted', (g) => fmt(g.felt_heard_predicted, 2), true],
    ['felt heard, surveyed', (g) => fmt(g.felt_heard_surveyed, 2), true],
    ['surveyed', (g) => fmt(g.surveyed_conversations), true],
  ], data.groups);
  $('stats-section').hidden = false;
}

function card(label, value) {
  const c = el('div', null, 'card');
  c.appendChild(el('div', value, 'v'));
  c.appendChild(el('div', label, 'k'));
  return c;
}

async function loadSurveys() {
  const gb = query().get('group_by');
  const q = query({ group_by: gb === 'day' ? 'channel' : gb });
  let data;
  try {
    data = await (await api('/v1/surveys/results?' + q)).json();
  } catch (e) {
    if (e.status === 403) { $('survey-section').hidden = true; return; }
    throw e;
  }
  const o = data.overall;
  $('simulated').hidden = !data.includes_simulated;
  const urgent = Object.entries(o.preferred_channel_when_urgent || {}).sort((a, b) => b[1] - a[1]);
  $('survey-summary').replaceChildren(
    card('responses', fmt(o.responses)),
    card('felt heard (1–5)', fmt(o.felt_heard_mean, 2)),
    card('rate empathy very important', pct(o.empathy_very_important_share)),
    card('prediction vs answers (r)', fmt(data.predicted_vs_surveyed.correlation, 2)),
    card('preferred when urgent', urgent.length ? urgent[0][0].replace('_', ' ') : '–'),
  );
  const rows = data.behaviours.slice().sort((a, b) => (b.difference ?? -9) - (a.difference ?? -9));
  table('behaviours', [
    ['behaviour', (b) => b.behaviour.replace(/_/g, ' ')],
    ['meaning', (b) => b.meaning],
    ['with', (b) => fmt(b.felt_heard_when_present, 2), true],
    ['without', (b) => fmt(b.felt_heard_when_absent, 2), true],
    ['difference', (b) => {
      const s = el('span', b.difference == null ? '–' : (b.difference > 0 ? '+' : '') + b.difference.toFixed(2));
      if (b.difference != null) s.className = b.difference > 0 ? 'good' : 'bad';
      return s;
    }, true],
    ['conversations with / without', (b) => b.present + ' / ' + b.absent, true],
  ], rows);
  table('survey-groups', [
    [data.group_by, (g) => fmt(g.key)],
    ['responses', (g) => fmt(g.responses), true],
    ['felt heard', (g) => fmt(g.felt_heard_mean, 2), true],
    ['understood', (g) => fmt(g.understood_mean, 2), true],
    ['empathy very important', (g) => pct(g.empathy_very_important_share), true],
    ['urgent: preferred channel', (g) => Object.entries(g.preferred_channel_when_urgent || {})
      .sort((a, b) => b[1] - a[1]).map(([k, n]) => k.replace('_', ' ') + ' ' + n).join(', ') || '–'],
  ], data.groups);
  $('survey-section').hidden = false;
}

async function loadConversations(append) {
  if (!append) convOffset = 0;
  const flag = new FormData($('convfilter')).get('flag');
  const q = query({ flag, limit: 50, offset: convOffset, group_by: '' });
  const data = await (await api('/v1/conversations?' + q)).json();
  const t = $('convs');
  const old = append ? Array.from(t.querySelectorAll('tbody tr')).map((tr) => tr._row).filter(Boolean) : [];
  const rows = old.concat(data.conversations);
  table('convs', [
    ['id', (c) => c.id],
    ['started', (c) => (c.started_at || '').replace('T', ' ').replace('Z', '')],
    ['agent', (c) => fmt(c.agent)],
    ['team', (c) => fmt(c.team)],
    ['channel', (c) => c.channel],
    ['empathy', (c) => fmt(c.empathy), true],
    ['felt heard', (c) => fmt(c.felt_heard, 1), true],
    ['missed', (c) => c.missed + ' / ' + c.opportunities +
      (c.unanswered ? ' (' + c.unanswered + ' unanswered)' : ''), true],
    ['flags', (c) => flagsNode(c.flags)],
  ], rows, showConversation);
  t.querySelectorAll('tbody tr').forEach((tr, i) => { tr._row = rows[i]; });
  convOffset += data.conversations.length;
  $('more').hidden = data.conversations.length < 50;
  $('conv-section').hidden = false;
}

async function showConversation(c) {
  const a = await (await api('/v1/conversations/' + encodeURIComponent(c.id))).json();
  currentConv = c.id;
  const d = $('detail');
  d.replaceChildren();
  $('detail-h').textContent = 'Conversation ' + c.id;
  const s = a.scores || {};
  d.appendChild(el('p', `${a.channel} · agent ${c.agent || '–'} · empathy ${fmt(s.empathy)} · politeness ${fmt(s.politeness)} · predicted felt heard ${fmt(s.felt_heard, 1)}`));
  d.appendChild(flagsNode(a.flags));
  const opp = (a.opportunities || []);
  if (opp.length) {
    d.appendChild(el('h3', 'Opportunities'));
    const ul = el('ul');
    for (const o of opp) {
      ul.appendChild(el('li', `turn ${o.turn}: ${o.kind} — ${o.status}` + (o.response_turn != null && o.response_turn >= 0 ? ` (answered in turn ${o.response_turn})` : '')));
    }
    d.appendChild(ul);
  }
  d.appendChild(el('h3', 'Turns'));
  const ol = el('ol');
  ol.start = 0;
  for (const t of a.turns || []) {
    const li = el('li');
    const parts = [t.speaker];
    if (t.empathy) parts.push(`reaction ${t.empathy.emotional_reaction}, interpretation ${t.empathy.interpretation}, exploration ${t.empathy.exploration}`);
    if (t.ownership) parts.push('ownership');
    if (t.dismissive) parts.push('dismissive');
    if (t.bid) parts.push('bid');
    if (t.urgency) parts.push('urgency ' + t.urgency);
    if (t.wait_seconds != null) parts.push('waited ' + t.wait_seconds + ' s');
    li.appendChild(el('div', parts.join(' · ')));
    for (const e of t.evidence || []) li.appendChild(el('blockquote', `${e.cue}: “${e.text}”`));
    ol.appendChild(li);
  }
  d.appendChild(ol);
  $('survey-url').textContent = '';
  $('detail-section').hidden = false;
  $('detail-section').focus();
}

async function createSurvey() {
  if (!currentConv) return;
  const res = await api('/v1/surveys', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ conversation_id: currentConv }),
  });
  const s = await res.json();
  $('survey-url').textContent = s.url;
}

async function exportCsv() {
  const res = await api('/v1/export?' + query({ format: 'csv', group_by: '' }));
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'heard-conversations.csv';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function refresh() {
  if (!key) { status('Type an API key to begin (heard keys create --role manager).'); return; }
  status('Loading…');
  try {
    $('filters-section').hidden = false;
    await loadStats();
    await loadSurveys();
    await loadConversations(false);
    status('');
  } catch (e) {
    status(e.message, true);
    if (e.status === 401) {
      for (const s of ['filters-section', 'stats-section', 'survey-section', 'conv-section', 'detail-section']) $(s).hidden = true;
    }
  }
}

function guard(fn) {
  return (ev) => { if (ev) ev.preventDefault(); fn().catch((e) => status(e.message, true)); };
}

document.addEventListener('DOMContentLoaded', () => {
  $('key').value = key;
  $('remember').checked = !!localStorage.getItem(STORE);
  $('keyform').addEventListener('submit', (ev) => {
    ev.preventDefault();
    key = $('key').value.trim();
    sessionStorage.setItem(STORE, key);
    if ($('remember').checked) localStorage.setItem(STORE, key); else localStorage.removeItem(STORE);
    refresh();
  });
  $('forget').addEventListener('click', () => {
    key = '';
    $('key').value = '';
    sessionStorage.removeItem(STORE);
    localStorage.removeItem(STORE);
    location.reload();
  });
  $('filters').addEventListener('submit', guard(refresh));
  $('convfilter').addEventListener('submit', guard(() => loadConversations(false)));
  $('more').addEventListener('click', guard(() => loadConversations(true)));
  $('export').addEventListener('click', guard(exportCsv));
  $('survey-link').addEventListener('click', guard(createSurvey));
  refresh();
});
