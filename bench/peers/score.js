// score.js - scores every line of a turns file (one turn per line, from
// bench_gen -t) with one peer package, for the side-by-side of `make bench`.
//
//   node score.js vader|sentiment TURNS.txt
//
// Timed: reading the file and splitting it into lines, plus the scoring loop
// (one call per turn). Not timed: node start-up and require() of the package.
// Prints one line of key=value pairs for bench/run.sh.
'use strict';

const fs = require('fs');

function loadScorer(name) {
  if (name === 'vader') {
    const vader = require('vader-sentiment');
    return {
      pkg: 'vader-sentiment',
      version: require('vader-sentiment/package.json').version,
      score: (t) => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound,
    };
  }
  if (name === 'sentiment') {
    const Sentiment = require('sentiment');
    const s = new Sentiment();
    return {
      pkg: 'sentiment',
      version: require('sentiment/package.json').version,
      score: (t) => s.analyze(t).comparative,
    };
  }
  throw new Error('unknown peer ' + name + ' (vader|sentiment)');
}

function main() {
  const [name, file] = process.argv.slice(2);
  if (!name || !file) {
    console.error('usage: node score.js vader|sentiment TURNS.txt');
    process.exit(2);
  }
  const scorer = loadScorer(name);
  const t0 = process.hrtime.bigint();
  const data = fs.readFileSync(file, 'utf8');
  const lines = data.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const t1 = process.hrtime.bigint();
  let sum = 0;
  for (const line of lines) sum += scorer.score(line);
  const t2 = process.hrtime.bigint();
  const secs = Number(t2 - t0) / 1e9;
  const bytes = Buffer.byteLength(data, 'utf8');
  console.log(
    `peer=${scorer.pkg} version=${scorer.version} node=${process.version} turns=${lines.length} ` +
      `bytes=${bytes} read_s=${(Number(t1 - t0) / 1e9).toFixed(4)} seconds=${secs.toFixed(4)} ` +
      `turns_per_s=${(lines.length / secs).toFixed(1)} mb_per_s=${(bytes / secs / 1e6).toFixed(3)} ` +
      `checksum=${sum.toFixed(3)} rss_mb=${(process.memoryUsage().rss / 1048576).toFixed(1)}`
  );
}

main();
