"""Spatial indices through barometer equal PySAL segregation called directly (toy and Uppsala län)."""

import pytest

gpd = pytest.importorskip("geopandas")
sg = pytest.importorskip("segregation.singlegroup")
from shapely.geometry import box  # noqa: E402

from barometer.exceptions import MeasureInputError  # noqa: E402
from barometer.measures.spatial import INDICES, spatial_indices, spatial_indices_frame  # noqa: E402


@pytest.fixture
def toy():
    """Three 1 km squares in a row; the group lives mostly in the western two."""
    return gpd.GeoDataFrame({"code": ["A", "B", "C"], "grupp": [80, 60, 5], "total": [100, 100, 100]},
                            geometry=[box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(3)], crs=3006)


def test_toy_equals_segregation_directly(toy):
    out = spatial_indices_frame(toy, "grupp", "total").set_index("index")["value"]
    assert list(out.index) == list(INDICES)
    for name in INDICES:
        direct = getattr(sg, name)(toy, group_pop_var="grupp", total_pop_var="total").statistic
        assert out[name] == pytest.approx(direct, rel=1e-12, abs=1e-12, nan_ok=True), name


def test_toy_spatial_dissimilarity_by_hand(toy):
    # Aspatial D = ½ Σ|g_i/G − r_i/R| = ½(|80/145 − 20/155| + |60/145 − 40/155| + |5/145 − 95/155|) = 0.5788;
    # segregation's SpatialDissim subtracts Σ_ij c_ij |x_i − x_j| with c row-standardised? No: it uses
    # the queen weights as given (binary: A–B, B–C) scaled to sum 1, x = share of the group in the area.
    g, t = [80, 60, 5], [100, 100, 100]
    G, R = sum(g), sum(t) - sum(g)
    d = 0.5 * sum(abs(gi / G - (ti - gi) / R) for gi, ti in zip(g, t))
    x = [gi / ti for gi, ti in zip(g, t)]
    pairs = [(0, 1), (1, 0), (1, 2), (2, 1)]
    adj = sum(abs(x[i] - x[j]) for i, j in pairs) / len(pairs)
    out = spatial_indices_frame(toy, "grupp", "total", ["SpatialDissim"])["value"].item()
    assert out == pytest.approx(d - adj, abs=1e-9)


def test_bad_inputs(toy):
    with pytest.raises(MeasureInputError, match="giltiga"):
        spatial_indices_frame(toy, "grupp", "total", ["Nope"])
    with pytest.raises(MeasureInputError, match="projicerat"):
        spatial_indices_frame(toy.to_crs(4326), "grupp", "total")
    bad = toy.assign(grupp=[80, 160, 5])
    with pytest.raises(MeasureInputError, match="större"):
        spatial_indices_frame(bad, "grupp", "total")


@pytest.mark.parametrize("kommun,n", [("0380", 61), ("0381", 11), ("0331", 9)])
def test_real_kommun_equals_direct_call(real_store, kommun, n):
    import barometer
    from barometer.maps import regso_geometries

    # SpatialProxProf walks the contiguity graph (≈ 10 s for Uppsala's 61 RegSO): only on Heby here
    names = ["SpatialDissim", "BoundarySpatialDissim"] + (["SpatialProxProf"] if kommun == "0331" else [])
    got = spatial_indices(kommun, year=2023, indices=names)
    assert (got["n_areas"] == n).all() and set(got["kommun_kod"]) == {kommun}
    assert "scb_deso_granser_uppsala" in got["source_ids"].iloc[0] and got.attrs["provenance"]
    pop = barometer.data("befolkning", level="regso", years=[2023], kommun=kommun)
    wide = pop.pivot_table(index="area_code", columns="group", values="value").reset_index()
    gdf = regso_geometries(kommun).to_crs(3006).merge(wide, left_on="code", right_on="area_code")
    for name in names:
        direct = getattr(sg, name)(gdf, group_pop_var="utrikes_fodda", total_pop_var="totalt").statistic
        assert got.set_index("index").loc[name, "value"] == pytest.approx(direct, rel=1e-12)
    if n < 10:
        assert "få områden" in got["note"].iloc[0]


def test_kommun_without_geometry_names_those_with(real_store):
    with pytest.raises(MeasureInputError, match="0380"):
        spatial_indices("Karlstad")
