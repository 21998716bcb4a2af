"""Country shapes for maps, from a world-atlas TopoJSON under data/raw ([tool.bookkit] atlas).

The book ships only the features a map needs (as GeoJSON, coordinates rounded to 0.01°), so a map
spec stays small and carries its own geometry: no map tiles, no network.
"""
from __future__ import annotations

import json
from functools import lru_cache

import pycountry

from . import paths
from .loader import record


@lru_cache(maxsize=1)
def _topology() -> dict:
    atlas = paths.ROOT / paths.settings()["atlas"]
    record(atlas)
    return json.loads(atlas.read_text(encoding="utf-8"))


def _decode_arcs(topo: dict) -> list[list[list[float]]]:
    """Undo TopoJSON's quantisation and delta encoding."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, 2), round(y * sy + ty, 2)])
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list) -> list[list[float]]:
    ring: list[list[float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def features(iso3: list[str] | set[str]) -> list[dict]:
    """GeoJSON features for the given ISO3 countries, sorted by code, with properties.iso3 and .name."""
    topo = _topology()
    arcs = _decode_arcs(topo)
    wanted = {pycountry.countries.get(alpha_3=c).numeric: c for c in iso3}
    missing = set(iso3) - {wanted[g["id"]] for g in topo["objects"]["countries"]["geometries"] if g.get("id") in wanted}
    if missing:
        raise KeyError(f"no shape in {paths.settings()['atlas']} for {sorted(missing)}")
    out = []
    for geom in topo["objects"]["countries"]["geometries"]:
        code = wanted.get(geom.get("id"))
        if code is None:
            continue
        if geom["type"] == "Polygon":
            coords = [_ring(r, arcs) for r in geom["arcs"]]
        else:
            coords = [[_ring(r, arcs) for r in poly] for poly in geom["arcs"]]
        out.append({"type": "Feature", "id": code,
                    "properties": {"iso3": code, "name": geom["properties"]["name"]},
                    "geometry": {"type": geom["type"], "coordinates": coords}})
    return sorted(out, key=lambda f: f["id"])
