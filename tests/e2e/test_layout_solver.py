"""The layout solver (static/js/geometry.js), with plain numbers in and boxes out.

The module is pure (no DOM), so it is imported as it is into Chromium and
called with rooms and trace shapes; every expectation is worked out here
from the cell limits in colors.js, not read from the solver. The rule under
test: a feature that fits at the legible minimum column is shown.
"""
from __future__ import annotations

import itertools
import math

import pytest

IMPORT = """async () => {
    const geometry = await import('/static/js/geometry.js');
    const colors = await import('/static/js/colors.js');
    const heatmap = await import('/static/js/heatmap.js');
    window.solver = { ...geometry, CELL: colors.CELL, PRESENT_CELL: colors.PRESENT_CELL, WINNER: colors.WINNER,
                      cellOutline: heatmap.cellOutline };
}"""


@pytest.fixture
def solver(page):
    page.goto("/")  # the modules are imported from the page's own origin
    page.evaluate(IMPORT)
    return page


def solve(page, **room):
    cell = room.pop("cell", "CELL")
    return page.evaluate(
        "([room, cell]) => window.solver.twoMatrixGeometry({ ...room, cell: window.solver[cell] })", [room, cell]
    )


def cells(page):
    return page.evaluate("() => ({ CELL: window.solver.CELL, PRESENT_CELL: window.solver.PRESENT_CELL })")


def test_the_legible_minimum_is_legible(solver):
    """At the narrowest column and shortest row, values print at the smallest font and clear a winner's frame."""
    limits = cells(solver)
    for name, cell in limits.items():
        font = solver.evaluate("([c, r, cell]) => window.solver.cellFont(c, r, window.solver[cell])",
                               [cell["colMin"], cell["rowMin"], name])
        assert font == cell["fontMin"]
        # "-0.35" is 2.6 em wide in the widest system font (DejaVu Sans: 2.59 em).
        assert 2.6 * font + 2 * 3.5 <= cell["colMin"]
    assert limits["PRESENT_CELL"]["fontMin"] >= 20


def test_a_winners_frame_never_crosses_its_value(solver):
    """The ring's inner edge lies outside the printed value for every cell size the solver can choose."""
    winner = solver.evaluate("() => window.solver.WINNER")
    for name in ("CELL", "PRESENT_CELL"):
        cell = cells(solver)[name]
        for col_px, row_px in itertools.product(range(cell["colMin"], cell["colMax"] + 1, 7),
                                                range(cell["rowMin"], cell["rowMax"] + 1, 5)):
            font = solver.evaluate("([c, r, cell]) => window.solver.cellFont(c, r, window.solver[cell])",
                                   [col_px, row_px, name])
            ring = solver.evaluate(
                "([c, r]) => window.solver.cellOutline({ col: 0, row: 0, colPx: c, rowPx: r })[1]", [col_px, row_px]
            )
            inner_x = ring["x1"] * col_px - winner["ringWidth"] / 2
            inner_y = ring["y1"] * row_px - winner["ringWidth"] / 2
            assert inner_x >= 2.6 * font / 2, (name, col_px, font)
            assert inner_y >= 1.2 * font / 2, (name, row_px, font)


# A 1024x768 projector: each panel's plot is about 470 x 360 px; the sliding
# view leaves 38 px for the overview strip when the sentence is long.
@pytest.mark.parametrize(
    ("room", "features", "shown"),
    [
        # 30 words beside the overview strip: 4 features at the legible minimum or wider.
        ({"width": 433, "height": 360, "left": 58, "right": 74, "rightShort": 24}, 4, 4),
        # The global view of 30 words, compressed: labels such as "lazy (8)", three lines between.
        ({"width": 471, "height": 380, "left": 83, "right": 61, "rightShort": 12, "gap": 65}, 4, 4),
        # Eight features do not fit at 36 px: a band.
        ({"width": 471, "height": 360, "left": 58, "right": 74, "rightShort": 24}, 8, 4),
        ({"width": 471, "height": 360, "left": 58, "right": 74, "rightShort": 24}, 64, 4),
    ],
)
def test_a_projector_shows_every_feature_that_fits(solver, room, features, shown):
    g = solve(solver, **room, features=features, inRows=30, outRows=29, stacked=False)
    assert g["band"] == shown
    cell = cells(solver)["CELL"]
    assert g["colPx"] >= cell["colMin"] and g["font"] >= cell["fontMin"]
    assert g["width"] <= room["width"]


def test_long_labels_give_way_before_a_feature_does(solver):
    room = {"width": 433, "height": 360, "left": 58, "right": 74, "rightShort": 24, "features": 4, "inRows": 30,
            "outRows": 29, "stacked": False}
    g = solve(solver, **room)
    assert g["shortLabels"] and g["right"] == 24 and g["band"] == 4
    roomy = solve(solver, **{**room, "width": 700})
    assert not roomy["shortLabels"] and roomy["right"] == 74 and roomy["band"] == 4


def test_presentation_fits_the_classic_at_20px_in_half_a_1280_screen(solver):
    g = solve(solver, width=598, height=400, left=66, right=115, rightShort=40, features=3, inRows=4, outRows=3,
              stacked=False, cell="PRESENT_CELL")
    assert g["band"] == 3 and g["font"] >= 20


def test_fits_at_the_legible_minimum_means_shown_over_a_grid_of_rooms_and_shapes(solver):
    """For every room and shape: each feature that fits at colMin is shown, and no more than fit."""
    failures = solver.evaluate(
        """() => {
        const { twoMatrixGeometry, CELL, PRESENT_CELL } = window.solver;
        const failures = [];
        for (const [name, cell] of [["CELL", CELL], ["PRESENT_CELL", PRESENT_CELL]])
        for (const width of [240, 320, 390, 433, 471, 598, 700, 940, 1300, 1900])
        for (const height of [200, 520])
        for (const left of [44, 80, 140])
        for (const [right, rightShort] of [[30, 30], [80, 24], [130, 40]])
        for (const gap of [46, 70])
        for (const features of [1, 2, 3, 4, 5, 7, 8, 12, 64])
        for (const [inRows, outRows] of [[1, 1], [30, 29], [256, 128]])
        for (const stacked of [false, true])
        for (const maxBand of [Infinity, 2]) {
            const room = { width, height, left, right, rightShort, gap, features, inRows, outRows, cell, stacked, maxBand };
            const g = twoMatrixGeometry(room);
            const wanted = Math.min(features, maxBand);
            const perMatrix = (margin) => Math.max((width - left - margin - (stacked ? 0 : gap)) / (stacked ? 1 : 2), 1.2 * cell.colMin);
            // The axis reaches 0.1 of a column past the outer columns on each side.
            const fitAt = (margin) => Math.max(1, Math.floor(perMatrix(margin) / cell.colMin - 0.2));
            const best = Math.min(wanted, fitAt(rightShort));
            const why = [];
            if (g.band !== best) why.push(`band ${g.band}, ${best} fit at colMin`);
            if (g.shortLabels !== (fitAt(right) < wanted && rightShort < right)) why.push("short labels without need");
            if (g.colPx < cell.colMin) why.push(`colPx ${g.colPx}`);
            if ((g.band + 0.2) * g.colPx > perMatrix(g.right) + 1e-9) why.push("columns wider than the room");
            if (g.font < cell.fontMin || g.font > cell.font) why.push(`font ${g.font}`);
            if (g.colPx < 2.6 * g.font + 7 || g.rowPx < 1.2 * g.font + 6) why.push("value crosses a frame");
            if (g.rowPx < cell.rowMin || g.rowPx > cell.rowMax) why.push(`rowPx ${g.rowPx}`);
            if (g.inShown < 1 || g.inShown > inRows || g.outShown < 1 || g.outShown > outRows) why.push("rows");
            const needed = left + (stacked ? 0 : gap) + Math.max(right, rightShort) + (stacked ? 1.2 : 2.4) * cell.colMin;
            if (width >= needed && g.width > width + 1e-9) why.push(`figure ${g.width} wider than ${width}`);
            if (why.length) failures.push(`${name} ${JSON.stringify({ ...room, cell: undefined })}: ${why.join("; ")}`);
        }
        return failures;
    }"""
    )
    assert failures == [], f"{len(failures)} rooms break the rule, e.g. {failures[:5]}"


def test_rows_that_fit_are_all_shown(solver):
    cell = cells(solver)["CELL"]
    for height, rows in [(200, 4), (360, 4), (360, 10), (360, 13), (360, 30), (700, 30)]:
        g = solve(solver, width=471, height=height, left=58, right=74, features=4, inRows=rows, outRows=rows - 1,
                  stacked=False)
        tall = height - g["top"] - g["bottom"]
        if (rows + 0.2) * cell["rowMin"] <= tall:
            assert g["inShown"] == rows, (height, rows)
        else:
            assert g["rowPx"] == cell["rowMin"] and g["inShown"] == math.floor(tall / cell["rowMin"]), (height, rows)
