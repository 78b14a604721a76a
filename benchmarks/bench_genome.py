"""Windows per second from an indexed FASTA on one core: argminn.genome against a straightforward baseline, in the same run.

Three rates, all over the same random windows:
- `Genome.one_hot`: windows read through the .fai index and encoded a batch at a time (what PeakData does);
- `PeakData.batches`: whole training epochs (jittered positives, fixed negatives, reverse complements), counted in
  windows yielded per second (each batch is 2 x batch_size windows);
- baseline: one pyfaidx `Fasta[chrom][a:b]` slice and one `argminn.seq.one_hot` call per window, then stacked.

The genome is a synthetic one written to a temporary folder (--mb megabases over 4 chromosomes, 60 bases a line),
or any indexed FASTA given with --genome (e.g. the fetched GRCh37 chrX: ~/.cache/argminn/data/hs-chrx-promoters/chrX.fa).

    OMP_NUM_THREADS=1 python benchmarks/bench_genome.py [--mb 40] [--length 500] [--n 50000] [--genome FASTA]
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

from argminn.genome import Genome, PeakData  # noqa: E402
from argminn.seq import one_hot  # noqa: E402


def write_genome(folder: Path, mb: int, seed: int = 0) -> Path:
    "A random genome of `mb` megabases in 4 chromosomes, 60 bases a line."
    rng, path = np.random.default_rng(seed), folder / "synthetic.fa"
    with open(path, "w") as f:
        for c in range(4):
            s = np.frombuffer(b"ACGT", np.uint8)[rng.integers(0, 4, mb * 250_000)].tobytes().decode()
            f.write(f">chr{c + 1}\n" + "\n".join(s[i:i + 60] for i in range(0, len(s), 60)) + "\n")
    return path


def random_windows(genome: Genome, n: int, length: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    names = [c for c, s in genome.sizes.items() if s > length]
    size = np.array([genome.sizes[c] for c in names])
    k = rng.choice(len(names), n, p=size / size.sum())
    return np.array(names, dtype=object)[k], (rng.random(n) * (size[k] - length)).astype(np.int64)


def rate(fn, n: int, repeats: int = 3) -> float:
    "Best of `repeats` runs, in items per second."
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t0)
    return n / best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--genome", help="indexed (or indexable) FASTA; default: a synthetic genome in a temporary folder")
    ap.add_argument("--mb", type=int, default=40, help="size of the synthetic genome in Mb")
    ap.add_argument("--length", type=int, default=500, help="window length")
    ap.add_argument("--n", type=int, default=50_000, help="windows per measurement")
    ap.add_argument("--batch", type=int, default=1024, help="windows read per call")
    ap.add_argument("--n-baseline", type=int, default=5_000, help="windows for the baseline")
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp())
    t0 = time.perf_counter()
    path = Path(a.genome) if a.genome else write_genome(tmp, a.mb)
    g = Genome(path)
    print(f"{g}  (written and indexed in {time.perf_counter() - t0:.1f} s)")
    chroms, starts = random_windows(g, a.n, a.length)
    L, B = a.length, a.batch

    fast = rate(lambda: [g.one_hot(chroms[i:i + B], starts[i:i + B], L) for i in range(0, a.n, B)], a.n)

    import pyfaidx
    fa = pyfaidx.Fasta(str(path))
    nb = a.n_baseline
    base = rate(lambda: torch.cat([one_hot(fa[c][s:s + L].seq) for c, s in zip(chroms[:nb], starts[:nb].tolist())]), nb, repeats=1)
    x = g.one_hot(chroms[:100], starts[:100], L)
    assert torch.equal(x, torch.cat([one_hot(fa[c][s:s + L].seq) for c, s in zip(chroms[:100], starts[:100].tolist())]))

    # training epochs from peaks: summits at the random window centres, GC-matched negatives
    npk = min(a.n // 2, 20_000)
    bed = tmp / "peaks.bed"
    bed.write_text("".join(f"{c}\t{s + L // 2 - 100}\t{s + L // 2 + 100}\n" for c, s in zip(chroms[:npk], starts[:npk].tolist())))
    names = list(g.sizes)
    first = names[0]   # hold out a chromosome, or a tenth of the only one (e.g. the chrX tutorial genome)
    test = names[:1] if len(names) > 2 else [f"{first}:1-{g.sizes[first] // 10}"]
    t0 = time.perf_counter()
    data = PeakData(g, bed, length=L, negatives="random", test=test, val=names[1:2] if len(names) > 2 else [], batch_size=64)
    build = time.perf_counter() - t0
    windows = sum(len(x) for x, _ in data.batches(0))
    epoch = rate(lambda: sum(len(x) for x, _ in data.batches(1)), windows, repeats=2)

    print(f"windows of {L} bp, one core (torch threads {torch.get_num_threads()}):")
    print(f"  Genome.one_hot, {B} per call: {fast:12,.0f} windows/s   ({a.n:,} windows)")
    print(f"  PeakData.batches (epoch):     {epoch:12,.0f} windows/s   ({windows:,} windows, half of them reverse complements: "
          f"{epoch / 2:,.0f} read from disk per s; data built in {build:.1f} s)")
    print(f"  baseline pyfaidx slice + one_hot per window: {base:,.0f} windows/s   -> Genome.one_hot is {fast / base:.1f}x faster")
    print(f"  target >= 20,000 windows/s: {'met' if fast >= 20_000 and epoch / 2 >= 20_000 else 'NOT met'}")
    print("reproduce: OMP_NUM_THREADS=1 python benchmarks/bench_genome.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    for p in tmp.iterdir(): p.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()
