// vader_compare.js - development check of heard's sentiment against the
// reference VADER implementation (npm vader-sentiment) on short texts.
// Not part of the build or the tests; scripts/vader_compare.sh runs it.
//
// usage: node vader_compare.js <heard> <models-dir> <shared-data-dir> <vader-module> [n-worst]
// Prints, per text set, Pearson r between VADER's compound and heard's
// sentiment with rules only (the lexicon of <models-dir>, no model heads)
// and with the model heads blended in, then the texts where the rules-only
// score and VADER disagree most.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const {spawnSync} = require('child_process');

const [heard, modelsDir, data, vaderMod, nWorstArg] = process.argv.slice(2);
if (!vaderMod) {
  console.error('usage: node vader_compare.js <heard> <models-dir> <data-dir> <vader-module> [n-worst]');
  process.exit(2);
}
const vader = require(path.resolve(vaderMod)).SentimentIntensityAnalyzer;
const nWorst = nWorstArg ? parseInt(nWorstArg, 10) : 25;

// Texts: GoEmotions dev (the tuning set, Reddit comments), the first 5000
// lines of GoEmotions train (a check against over-fitting dev), the VADER
// valence sentences, and the cs-corpus customer turns.
function tsvCol(file, col, limit) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(l => l.length);
  return lines.slice(0, limit || lines.length).map(l => l.split('\t')[col]);
}
const sets = [];
const ge = path.join(data, 'goemotions');
sets.push(['goemotions-dev', tsvCol(path.join(ge, 'dev.tsv'), 0)]);
if (fs.existsSync(path.join(ge, 'train.tsv')))
  sets.push(['goemotions-train5k', tsvCol(path.join(ge, 'train.tsv'), 0, 5000)]);
for (const name of ['amazonReviewSnippets', 'movieReviewSnippets', 'nytEditorialSnippets']) {
  const f = path.join(data, 'valence', `${name}_GroundTruth.txt`);
  if (fs.existsSync(f)) sets.push([name, tsvCol(f, 2)]);
}
const cs = path.join(data, 'cs-corpus', 'train.jsonl');
if (fs.existsSync(cs)) {
  const t = [];
  for (const l of fs.readFileSync(cs, 'utf8').split('\n'))
    if (l.trim())
      for (const turn of JSON.parse(l).turns)
        if (turn.speaker === 'customer') t.push(turn.text);
  sets.push(['cs-customer', t]);
}

// One conversation per text, one customer turn, channel social.
function heardScores(texts, dir) {
  const input = texts
    .map((text, i) => JSON.stringify({id: String(i), channel: 'social',
                                      turns: [{speaker: 'customer', text: text || ''}]}))
    .join('\n') + '\n';
  const r = spawnSync(heard, ['analyze', '--threads', '1', '--models', dir],
                      {input, maxBuffer: 1 << 30, encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`heard failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(l => l).map(l => {
    const o = JSON.parse(l);
    return o.turns ? o.turns[0].sentiment : 0;
  });
}

function pearson(x, y) {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx, b = y[i] - my;
    sxy += a * b; sxx += a * a; syy += b * b;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : 0;
}

// Rules only: a directory holding just the lexicon.
const rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-rules-'));
fs.copyFileSync(path.join(modelsDir, 'lexicon.tsv'), path.join(rulesDir, 'lexicon.tsv'));

const worst = [];
console.log('| set | n | r(VADER, rules) | r(VADER, blend) | sign agreement rules |');
console.log('|---|---|---|---|---|');
try {
  for (const [name, texts] of sets) {
    const v = texts.map(t => vader.polarity_scores(t || '').compound);
    const rules = heardScores(texts, rulesDir);
    const blend = heardScores(texts, modelsDir);
    let agree = 0;
    for (let i = 0; i < v.length; i++) {
      const sv = Math.abs(v[i]) < 0.05 ? 0 : Math.sign(v[i]);
      const sr = Math.abs(rules[i]) < 0.05 ? 0 : Math.sign(rules[i]);
      agree += sv === sr;
      if (name === 'goemotions-dev')
        worst.push({d: Math.abs(v[i] - rules[i]), v: v[i], r: rules[i], b: blend[i], t: texts[i]});
    }
    console.log(`| ${name} | ${v.length} | ${pearson(v, rules).toFixed(4)} | ` +
                `${pearson(v, blend).toFixed(4)} | ${(agree / v.length).toFixed(3)} |`);
  }
} finally {
  fs.rmSync(rulesDir, {recursive: true, force: true});
}
worst.sort((a, b) => b.d - a.d);
console.log(`\nLargest disagreements, goemotions-dev (VADER / rules / blend: text):`);
for (const w of worst.slice(0, nWorst))
  console.log(`${w.v.toFixed(3)} / ${w.r.toFixed(3)} / ${w.b.toFixed(3)}: ${w.t}`);
