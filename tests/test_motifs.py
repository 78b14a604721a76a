"""Plain tests of argminn.motifs beyond the notebook: MEME round trips of whole JASPAR collections."""
import numpy as np
import pytest

from argminn.motifs import jaspar_collection, jaspar_motif, read_meme, write_meme


@pytest.mark.parametrize("tax_group", ["vertebrates", "insects"])
def test_meme_round_trip_jaspar2024_core(tmp_path, tax_group):
    motifs = jaspar_collection("CORE", tax_group, "JASPAR2024")
    path = write_meme(motifs, tmp_path / f"{tax_group}.meme")
    back = read_meme(path)
    assert [(m.id, m.name, m.width) for m in back] == [(m.id, m.name, m.width) for m in motifs]
    assert max(np.abs(a.pfm - b.pfm).max() for a, b in zip(motifs, back)) < 1e-6
    assert [p.name for p in tmp_path.iterdir()] == [f"{tax_group}.meme"]  # no temporary file left


def test_round_trip_is_stable(tmp_path):
    motifs = [jaspar_motif(k) for k in ("MA0080.7", "MA0139.2", "MA0138.3")]
    once = read_meme(write_meme(motifs, tmp_path / "a.meme"))
    twice = read_meme(write_meme(once, tmp_path / "b.meme"))
    assert [m.meta["nsites"] for m in twice] == [m.meta["nsites"] for m in motifs]
    assert max(np.abs(a.pfm - b.pfm).max() for a, b in zip(motifs, twice)) < 1e-7


def test_other_release():
    assert jaspar_motif("MA0139", release="JASPAR2022").id.startswith("MA0139.")
    with pytest.raises(ValueError, match="unknown JASPAR release"):
        jaspar_motif("MA0139", release="JASPAR1066")
