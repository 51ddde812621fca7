# SPDX-License-Identifier: GPL-3.0-or-later
"""The brief's HTML page as a person sees it: headless Chromium (Debian's
`chromium`, installed by scripts/install-deps.sh) lays the page out at a
desktop width (1280 px) and a phone width (400 px) and reports, in the DOM
it dumps, the page's width, every element that reaches past the viewport
(content inside a table's scrolling frame excepted: the frame itself must
fit) and the charts and tables it holds. The page is shown in an iframe of
the exact width, so that its media queries see that width (a headless
window is never narrower than 500 px). Everything is written to a temporary
directory; no screenshot is kept. Without chromium the test fails: it is
part of what CI checks."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

import cli_env

ROOT = pathlib.Path(__file__).resolve().parents[2]

PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="%(page)s" style="width:%(w)dpx;height:900px;border:0"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument, W = d.documentElement.clientWidth, wide = [];
  d.querySelectorAll('body *').forEach(function (e) {
    var frame = e.closest('.scroll');
    if (%(exempt)s && frame && frame !== e) return;
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.right > W + 0.5 || r.left < -0.5)
      wide.push(e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + Math.round(r.left) +
                '..' + Math.round(r.right));
  });
  var charts = [], frames = [];
  d.querySelectorAll('svg').forEach(function (s) {
    var r = s.getBoundingClientRect();
    charts.push([Math.round(r.width), Math.round(r.height)]);
  });
  d.querySelectorAll('.scroll').forEach(function (s) {
    frames.push([s.clientWidth, s.scrollWidth, !!s.querySelector('table'),
                 getComputedStyle(s.querySelector('.hint')).display]);
  });
  var out = document.createElement('pre');
  out.id = 'measure';
  out.textContent = JSON.stringify({width: W, scroll_width: d.documentElement.scrollWidth,
                                    wide: wide, charts: charts, frames: frames,
                                    tables: d.querySelectorAll('table').length});
  document.body.appendChild(out);
});
</script></body></html>
"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("the browser test needs Chromium (Debian: apt-get install chromium; "
                "scripts/install-deps.sh installs it)")


def measure(browser, directory, width, page="brief.html", exempt=True):
    """the layout of `page` at `width` px; exempt: content inside a table's
    scrolling frame may be wider (the frame scrolls)"""
    probe = directory / f"probe{width}.html"
    probe.write_text(PROBE % {"w": width, "page": page, "exempt": "true" if exempt else "false"},
                     encoding="utf-8")
    env = dict(os.environ, HOME=str(directory))  # the browser's profile stays in the temp dir
    env.pop("LD_PRELOAD", None)
    p = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--allow-file-access-from-files", f"--user-data-dir={directory}/profile",
                        "--window-size=1400,1000", "--virtual-time-budget=5000", "--dump-dom",
                        probe.as_uri()],
                       capture_output=True, text=True, timeout=180, env=env)
    m = re.search(r'<pre id="measure">(.*?)</pre>', p.stdout, re.S)
    assert m, f"chromium gave no measurement (exit {p.returncode}): {p.stderr[-2000:]}"
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_brief_fits_desktop_and_phone(tmp_path, lang):
    browser = chromium()
    cli_env.run("report", "--lang", lang, "--html", tmp_path / "brief.html", cwd=ROOT)
    for width in (1280, 400):
        got = measure(browser, tmp_path, width)
        # the iframe's viewport: its width less a vertical scrollbar
        assert width - 20 <= got["width"] <= width, got
        assert got["scroll_width"] <= got["width"], got
        assert got["wide"] == [], (width, got["wide"])
        # every chart and table is there, and every chart is drawn within the page
        assert len(got["charts"]) == 4 and got["tables"] == 5, got
        for w, h in got["charts"]:
            assert 0 < w <= got["width"] and h > 0, (width, got["charts"])
        assert len(got["frames"]) == 5 and all(f[2] for f in got["frames"])
        for client, scroll, _, hint in got["frames"]:
            assert client <= got["width"]
        if width == 400:
            # the wide tables scroll inside their frame, and the frame says so
            assert any(scroll > client for client, scroll, _, _ in got["frames"])
            assert all(hint == "block" for *_, hint in got["frames"])
        else:
            assert all(hint == "none" for *_, hint in got["frames"])


def test_print_layout_fits_a4(tmp_path):
    """the print rules, applied on screen at A4's text width (210 mm less
    2 × 14 mm margins = 688 px at 96 px per inch): nothing, not even a
    table's cells, reaches past the page (a printed table cannot scroll)"""
    browser = chromium()
    cli_env.run("report", "--html", tmp_path / "brief.html", cwd=ROOT)
    html = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "@media print{" in html
    (tmp_path / "print.html").write_text(html.replace("@media print{", "@media all{"),
                                         encoding="utf-8")
    got = measure(browser, tmp_path, 688, page="print.html", exempt=False)
    assert got["wide"] == [], got["wide"]
    assert got["scroll_width"] <= got["width"]
    assert len(got["charts"]) == 4 and got["tables"] == 5
    assert all(scroll <= client for client, scroll, _, _ in got["frames"]), got["frames"]
    assert all(hint == "none" for *_, hint in got["frames"])


def test_brief_prints_to_pdf(tmp_path):
    """the print stylesheet: Chromium prints the page to a PDF of A4 pages"""
    browser = chromium()
    cli_env.run("report", "--html", tmp_path / "brief.html", cwd=ROOT)
    pdf = tmp_path / "brief.pdf"
    env = dict(os.environ, HOME=str(tmp_path))
    env.pop("LD_PRELOAD", None)
    p = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--user-data-dir={tmp_path}/profile", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", (tmp_path / "brief.html").as_uri()],
                       capture_output=True, text=True, timeout=180, env=env)
    assert pdf.exists(), f"no PDF (exit {p.returncode}): {p.stderr[-2000:]}"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page[^s]", data)
    sizes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", data)
    assert len(pages) >= 3, len(pages)
    # A4: 595 × 842 points
    assert sizes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2
                         for w, h in sizes), sizes[:3]
