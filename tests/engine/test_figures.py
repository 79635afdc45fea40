"""Benchmark figures: drawn from the numbers an example printed, readable and accessible."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from example_engine.figures import benchmark_svg, measurements
from example_engine.runner import current_interpreter

OUTPUT = """Timing 3 ways
cpu-bound  sequential  0.512 s
cpu-bound  threads     0.530 s
cpu-bound  processes   0.301 s
io-bound   sequential  0.400 s
io-bound   threads     0.101 s
"""
SVG = "{http://www.w3.org/2000/svg}"


def test_measurements_are_read_from_the_output():
    found = measurements(OUTPUT)
    assert [(m.workload, m.strategy, m.seconds) for m in found][:2] == [
        ("cpu-bound", "sequential", 0.512),
        ("cpu-bound", "threads", 0.53),
    ]
    assert len(found) == 5


def test_svg_has_a_bar_per_measurement_sized_by_its_value():
    svg = benchmark_svg([("", OUTPUT, current_interpreter())], 2, "en", "t")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Durations measured in this build"
    assert "2 workloads, 5 measurements" in root.find(f"{SVG}desc").text
    bars = root.findall(f".//{SVG}rect")
    assert len(bars) == 5
    widths = [float(b.get("width")) for b in bars]
    assert widths[3] / widths[4] == pytest.approx(0.400 / 0.101, rel=0.02)
    assert "2 cores" in svg and "CPython" in svg


def test_labels_follow_the_page_language():
    svg = benchmark_svg([("", OUTPUT, current_interpreter())], 2, "zh", "t")
    for word in ("CPU 密集", "I/O 密集", "顺序执行", "多线程", "多进程", "2 核"):
        assert word in svg
    ET.fromstring(svg)


def test_different_numbers_draw_a_different_figure():
    other = OUTPUT.replace("0.301 s", "0.250 s")
    interp = current_interpreter()
    assert benchmark_svg([("", OUTPUT, interp)], 2, "en") != benchmark_svg(
        [("", other, interp)], 2, "en"
    )


def test_no_measurements_no_figure():
    assert benchmark_svg([("", "nothing measured\n", current_interpreter())], 2, "en") is None


def test_the_figures_style_applies_to_the_figure_only():
    """An inline <svg>'s <style> applies to the whole page: each selector must start at
    the figure's own class, or it would restyle the page's other text and its .grid."""
    svg = benchmark_svg([("", OUTPUT, current_interpreter())], 2, "en", "t")
    style = ET.fromstring(svg).find("{http://www.w3.org/2000/svg}style")
    assert style is not None and style.text
    rules = [rule for rule in style.text.split("}") if rule.strip()]
    selectors = [s.strip() for rule in rules for s in rule.split("{")[0].split(",")]
    assert len(selectors) >= 6
    assert all(s.startswith(".benchmark-figure ") for s in selectors), selectors
