"""argminn.genome on the three real tutorial data sets.

Each test skips, with the reason, when its data set has not been fetched; fetch them with
`python -m argminn.tutorial_data fetch NAME` (oct4-mafk, dm-insulators, hs-chrx-promoters)."""
import json
import time
from collections import defaultdict

import numpy as np
import pytest
import torch

from argminn.genome import FastaData, Genome, GenomeDataError, PeakData, check_peaks, read_fasta_sets, read_peaks, region_chrom
from argminn.seq import reverse_complement
from argminn.tutorial_data import DatasetMissing, dataset_dir


def _fetched(name):
    try: return dataset_dir(name)
    except DatasetMissing as e: pytest.skip(str(e))


def _overlapping(neg, peaks, length):
    "Negatives that overlap a peak, by brute force per chromosome (not with the index the loader used)."
    by_chrom = defaultdict(list)
    for c, a, b in zip(peaks.chrom, peaks.start, peaks.end): by_chrom[c].append((a, b))
    by_chrom = {c: np.array(v) for c, v in by_chrom.items()}
    return sum(bool(((p[:, 0] < a + length) & (p[:, 1] > a)).any()) for c, a in zip(neg.chrom, neg.start) if (p := by_chrom.get(c)) is not None)


def _summits_inside(data, epochs):
    w = [data.epoch_windows(e) for e in range(epochs)]
    return sum(len(x) for x in w), all(((x.start <= x.summit) & (x.summit < x.start + data.length)).all() for x in w)


def test_oct4_mafk_sets():
    d = _fetched("oct4-mafk")
    t = read_fasta_sets(d / "oct4.fa", d / "mafk.fa")
    assert (t.label == 1).sum() == 3897 and (t.label == 0).sum() == 3900
    assert set(t.seq.str.len()) == {200}
    data = FastaData(t, batch_size=64)
    desc = json.loads(json.dumps(data.describe(), allow_nan=False))
    assert data.by == "chrom" and desc["split_units"] == {"test": ["chr1"], "val": ["chr10", "chr8"]}
    x, y = next(iter(data.batches(0)))
    assert x.shape == (128, 4, 200) and torch.equal(x[64:], reverse_complement(x[:64]))
    octamer = t.seq.str.upper().str.contains("ATGCAAAT|ATTTGCAT")
    assert octamer[t.label == 1].mean() > 5 * octamer[t.label == 0].mean()   # sample.fa is the Oct4 set


def test_dm_insulator_peaks_map_onto_contigs():
    d = _fetched("dm-insulators")
    g = Genome(d / "dm3_upstream2000.fa")
    assert len(g.sizes) == 9029 and sum(g.sizes.values()) == 25_263_041
    assert {region_chrom(c) for c in g.sizes} >= {"chr2L", "chr2R", "chr3L", "chr3R", "chrX", "chr4"}
    for factor in ("beaf32", "ctcf", "suhw", "cp190"):
        for cell in ("Kc", "Mbn2"):
            p = check_peaks(read_peaks(d / f"{factor}_{cell}.narrowPeak"), g.sizes)
            assert ((p.start <= p.summit) & (p.summit < p.end)).all() and len(p) > 500
            check_peaks(read_peaks(d / f"{factor}_{cell}_all.bed"), g.sizes)


def test_dm_insulator_windows():
    d = _fetched("dm-insulators")
    data = PeakData(d / "dm3_upstream2000.fa", d / "beaf32_Kc.narrowPeak", length=500, group=region_chrom,
                    test=["chr2L"], val=["chr3L"], exclude=d / "beaf32_Kc_all.bed", seed=0)
    n, inside = _summits_inside(data, 5)
    assert n >= 5_000 and inside
    assert _overlapping(data.neg, read_peaks(d / "beaf32_Kc_all.bed"), 500) == 0
    held = data.segments[data.segments.split != "train"]
    assert set(held.chrom.map(region_chrom)) == {"chr2L", "chr3L"} and (held.split == held.chrom.map(region_chrom).map({"chr2L": "test", "chr3L": "val"})).all()
    assert data.gc_report("train")["ks_pvalue"] > 0.05
    json.dumps(data.describe(), allow_nan=False)


def test_hs_chrx_promoters_gc_matched_and_unmatched():
    d = _fetched("hs-chrx-promoters")
    kw = dict(length=500, neg_gap=1000, test=["chrX:1-10,000,000"], val=["chrX:10,000,001-20,000,000"], seed=0)
    rnd = PeakData(d / "chrX.fa", d / "tss.bed", negatives="random", **kw)
    gcm = PeakData(d / "chrX.fa", d / "tss.bed", negatives="gc", **kw)
    assert rnd.genome.sizes == {"chrX": 69_999_930} and len(read_peaks(d / "tss.bed")) == 435
    r, m = rnd.describe()["gc"]["train"], gcm.describe()["gc"]["train"]
    assert r["mean_difference"] > 0.1 and r["ks_pvalue"] < 1e-10     # promoters are GC-rich: a shortcut for the model
    assert abs(m["mean_difference"]) < 0.01 and m["ks_pvalue"] > 0.05
    n, inside = _summits_inside(gcm, 20)
    assert n >= 6_000 and inside
    tss = read_peaks(d / "tss.bed")
    assert _overlapping(gcm.neg, tss.assign(start=tss.start - 1000, end=tss.end + 1000), 500) == 0   # no negative within 1 kb of a TSS


def test_hs_chrx_naming_error_and_speed(tmp_path):
    d = _fetched("hs-chrx-promoters")
    (tmp_path / "ensembl.bed").write_text("X\t1000000\t1000001\n")
    with pytest.raises(GenomeDataError, match=r"ensembl.bed:1: unknown chromosome 'X' \(nearest in the genome: 'chrX'\)"):
        PeakData(d / "chrX.fa", tmp_path / "ensembl.bed")
    g = Genome(d / "chrX.fa")
    rng = np.random.default_rng(0)
    starts = rng.integers(0, g.sizes["chrX"] - 500, 20_480)
    best = 0
    for _ in range(3):   # CPU time of this process: one core's rate, whatever else the machine is running
        t0 = time.process_time()
        for i in range(0, len(starts), 1024): g.one_hot("chrX", starts[i:i + 1024], 500)
        best = max(best, len(starts) / (time.process_time() - t0))
    assert best > 20_000, f"{best:,.0f} windows/s of CPU time"
