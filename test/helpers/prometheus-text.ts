// Reading what GET /metrics answers, as Prometheus would: every line must be a comment or a
// well-formed sample (the text exposition format), and Debian's promtool, when installed, must
// accept the whole page (`promtool check metrics`, which also lints names and help texts).
import { spawnSync } from 'node:child_process';
import { findExecutable } from '../../scripts/prerequisites/tools.ts';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
const COMMENT = /^# (?:HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (?:counter|gauge|histogram|summary|untyped))$/;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (match === null) throw new Error(`malformed labels in metrics line: ${line}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** Every sample of the page; throws on the first line that is neither a comment nor a sample. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!COMMENT.test(line)) throw new Error(`malformed metrics comment: ${line}`);
      continue;
    }
    const match = SAMPLE.exec(line);
    // Go's ParseFloat, which Prometheus uses, takes NaN and Inf in any case (prom-client writes "Nan").
    if (match === null) throw new Error(`malformed metrics line: ${line}`);
    const [, name, labelText, valueText] = match as unknown as [string, string, string | undefined, string];
    const value = Number(valueText.replace(/^([+-]?)inf$/i, '$1Infinity'));
    if (Number.isNaN(value) !== /^nan$/i.test(valueText)) throw new Error(`malformed metrics value: ${line}`);
    samples.push({ name, labels: parseLabels(labelText ?? '', line), value });
  }
  return samples;
}

/** The value of the sample with exactly these labels (among others), or 0 when absent. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const sample = samples.find((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
  return sample?.value ?? 0;
}

/**
 * promtool's lint problems, each starting with the metric's name (it exits 3 for those only), or
 * null when it is not installed (Debian: apt-get install prometheus). A page it cannot parse throws.
 */
export function promtoolProblems(text: string): string[] | null {
  const promtool = findExecutable('promtool', process.env.PATH);
  if (promtool === null) return null;
  const result = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 3) throw new Error(`promtool check metrics failed: ${result.stdout}${result.stderr}`);
  return `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
}
