"""Links, anchors and self-containment of the built site."""

from __future__ import annotations

from example_engine.htmlcheck import check_site


def test_no_broken_link_or_anchor_and_nothing_from_other_hosts(any_built):
    problems = check_site(any_built.site)
    assert problems == [], "\n".join(problems[:50])


def test_checker_catches_what_it_promises(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2>')
    (tmp_path / "index.html").write_text(
        '<a href="a/#here">ok</a><a href="a/#gone">anchor</a><a href="b/">page</a>'
        '<script src="https://cdn.example.com/x.js"></script>'
        '<link rel="stylesheet" href="missing.css"><a href="https://docs.python.org/3/">out</a>'
        '<div class="admonition failure example-problem"><p class="admonition-title">Failed'
        "</p><div><p>examples/x.py exited with code 1</p></div></div><div><p>after</p></div>"
    )
    assert sorted(check_site(tmp_path)) == [
        "index.html: Failed examples/x.py exited with code 1",
        "index.html: broken link b/",
        "index.html: loads https://cdn.example.com/x.js from another host",
        "index.html: missing anchor a/#gone",
        "index.html: missing resource missing.css",
    ]
