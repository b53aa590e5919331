from community.markdown import render_markdown


def test_script_tags_and_javascript_links_are_inert():
    html = render_markdown("Hello <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.org)")

    assert "<script" not in html
    assert "javascript:" not in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">ok</a>' in html


def test_markdown_emphasis_and_lists_render():
    assert render_markdown("*a*\n\n- one\n- two") == "<p><em>a</em></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"


def test_empty_text_renders_empty():
    assert render_markdown("") == ""
