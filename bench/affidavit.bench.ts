// Benchmark of the affidavit (issue 13): a month's affidavit for an advertiser with 2,000 spots
// over three campaigns — make-goods, missed and preempted spots, bonus — assembled from its
// rows (domain/affidavit.ts) and drawn as a PDF (reports/affidavit-pdf.ts), plus the CSV.
// Pure: no database (the rows are what db/affidavits.ts returns), no server.
// Prints the time (target ≤ 3 s for the PDF) and the page count; it is not a test.
// Run: npm run bench:affidavit
import { performance } from 'node:perf_hooks';
import { PDFParse } from 'pdf-parse';
import { affidavitCsv, affidavitPeriod, assembleAffidavit, type AffidavitCampaignInput, type AffidavitSpotInput } from '../domain/affidavit.js';
import { renderAffidavitPdf } from '../reports/affidavit-pdf.js';

const SPOTS = 2_000;
const RUNS = 5;
const TARGET_MS = 3_000;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const campaigns: AffidavitCampaignInput[] = ['Fall Sale', 'Holiday Trade-In', 'Service Specials'].map((name, i) => ({
  id: `00000000-0000-4000-8000-00000000000${i + 1}`,
  name,
  advertiser: 'Rainbow Motors',
  orderNumber: `RM-2026-${114 + i}`,
  agency: i === 2 ? null : 'Saguaro Media',
  agencyCommissionPercent: i === 2 ? '0.00' : '15.00',
  rateCents: [8_000, 12_500, 4_250][i]!,
  currency: 'USD',
  startsOn: '2026-11-01',
  endsOn: '2026-12-31',
  spotsPerDay: 22,
  spotsPerWeek: null,
}));

function spots(): AffidavitSpotInput[] {
  const rand = random(13);
  const out: AffidavitSpotInput[] = [];
  const start = Date.parse('2026-11-01T07:00:00Z'); // midnight in Phoenix
  const step = Math.floor((30 * 86_400_000) / SPOTS);
  for (let i = 0; i < SPOTS; i++) {
    const scheduledAt = new Date(start + i * step);
    const roll = rand();
    const missed = roll < 0.03;
    const preempted = roll >= 0.03 && roll < 0.04;
    const makeGood = roll >= 0.04 && roll < 0.07 && out.length > 0;
    const original = makeGood ? out[Math.floor(rand() * out.length)]! : null;
    out.push({
      entryId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
      campaignId: campaigns[i % campaigns.length]!.id,
      broadcastDate: new Date(scheduledAt.getTime() - 7 * 3_600_000).toISOString().slice(0, 10),
      scheduledAt,
      lengthMs: i % 5 === 0 ? 60_000 : 30_000,
      copyTitle: `Rainbow Motors — ${campaigns[i % campaigns.length]!.name}, copy ${1 + (i % 4)}`,
      isci: `RBMO${String(1000 + (i % 4)).padStart(4, '0')}`,
      airedAt: missed || preempted ? null : new Date(scheduledAt.getTime() + Math.floor((rand() - 0.5) * 240_000)),
      airedUntil: null,
      reconciled: true,
      owedFor: missed ? { reason: 'missed', status: 'owed' } : preempted ? { reason: 'preempted', status: 'owed' } : null,
      makeGoodOf: original ? { reason: 'missed', original: { entryId: original.entryId, scheduledAt: original.scheduledAt, broadcastDate: original.broadcastDate } } : null,
    });
  }
  return out;
}

const rows = spots();
const period = affidavitPeriod('month', '2026-11', null);
const make = () =>
  assembleAffidavit({ station: { slug: 'kqtr', name: 'KQTR Community Radio', timezone: 'America/Phoenix', callLetters: 'KQTR-FM', market: 'Phoenix, AZ' }, advertiser: 'Rainbow Motors', campaign: null, campaigns, spots: rows, period, signer: { name: 'Alex Kim', title: 'Traffic Manager' }, now: new Date() });

await renderAffidavitPdf(make()); // warm up: fonts and code paths
const times: number[] = [];
const csvTimes: number[] = [];
let pdf: Buffer = Buffer.alloc(0);
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  pdf = await renderAffidavitPdf(make());
  times.push(performance.now() - t0);
  const t1 = performance.now();
  affidavitCsv(make());
  csvTimes.push(performance.now() - t1);
}
const parser = new PDFParse({ data: new Uint8Array(pdf) });
const pages = (await parser.getInfo()).total;
await parser.destroy();
const a = make();
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const worst = Math.max(...times);
console.log(`affidavit: ${SPOTS} spots (${a.totals.aired} aired, ${a.totals.makeGoodsAired} make-goods, ${a.totals.bonus} bonus, ${a.totals.missed} missed of which ${a.totals.preempted} preempted), ${campaigns.length} campaigns, ${period.first} to ${period.last}`);
console.log(`PDF (assemble + render): median ${median(times).toFixed(0)} ms, worst ${worst.toFixed(0)} ms over ${RUNS} runs (target ≤ ${TARGET_MS} ms) — ${pages} pages, ${(pdf.length / 1024).toFixed(0)} KiB`);
console.log(`CSV (assemble + write): median ${median(csvTimes).toFixed(0)} ms`);
console.log(worst <= TARGET_MS ? 'within target' : 'OVER TARGET');
