// Times ONNX Runtime on the attention graphs written by make_models.py: best wall time of repeated runs.
// usage: node ort_time.js MODEL_DIR KIND(mha|plain) N [THREADS] [MIN_SECONDS] [SPIN(1|0)]
// SPIN 0 turns off the spin-waiting of ONNX Runtime's worker threads, so its CPU time counts work only.
const [dir, kind, nArg, thArg, secArg, spinArg] = process.argv.slice(2);
if (!dir || !['mha', 'plain'].includes(kind) || !(parseInt(nArg) > 0)) {
  console.error('usage: node ort_time.js MODEL_DIR mha|plain N [THREADS] [MIN_SECONDS] [SPIN 1|0]');
  process.exit(2);
}
const ort = require('onnxruntime-node');
const spin = spinArg === undefined ? '1' : spinArg;
const n = parseInt(nArg), threads = parseInt(thArg || '2'), minS = parseFloat(secArg || '1.0');
const heads = 8, d = 64;
(async () => {
  const opts = {intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
                graphOptimizationLevel: 'all', extra: {session: {intra_op: {allow_spinning: spin}}}};
  const s = await ort.InferenceSession.create(`${dir}/${kind}_${n}.onnx`, opts);
  const dims = kind === 'mha' ? [1, n, heads * d] : [1, heads, n, d];
  let seed = 1;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296 * 2 - 1; };
  const mk = () => { const a = new Float32Array(n * heads * d); for (let i = 0; i < a.length; ++i) a[i] = rnd(); return new ort.Tensor('float32', a, dims); };
  const feeds = {q: mk(), k: mk(), v: mk()};
  const t0 = process.hrtime.bigint();
  await s.run(feeds); // first run: allocations, page faults
  const first = Number(process.hrtime.bigint() - t0) / 1e6;
  let best = 1e300, bestCpu = 1e300, total = 0;
  for (let rep = 0; rep < 200; ++rep) {
    const c0 = process.cpuUsage(), w0 = process.hrtime.bigint();
    await s.run(feeds);
    const ms = Number(process.hrtime.bigint() - w0) / 1e6, c = process.cpuUsage(c0);
    best = Math.min(best, ms); bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e3);
    total += ms;
    if (rep >= 1 && total > 1000 * minS) break;
  }
  const flops = 4 * n * n * d * heads;
  console.log(`ort ${kind} n=${n} threads=${threads} spin=${spin}: best ${best.toFixed(2)} ms, ${(flops / best / 1e6).toFixed(1)} GFLOP/s, ` +
              `CPU ${bestCpu.toFixed(1)} ms (${(flops / bestCpu / 1e6).toFixed(1)} GFLOP/s per core-second), first run ${first.toFixed(1)} ms`);
})();
