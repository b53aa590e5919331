import threading
import uuid

import markdown as markdown_lib
import pytest
from django.core.cache import cache

from community import markdown
from community.markdown import render_markdown


def _fresh(text: str) -> str:
    """A text no earlier test rendered (the in-process memo outlives a test)."""
    return f"{text}\n\n{uuid.uuid4().hex}"


def test_rendered_html_is_kept_in_the_shared_cache_under_the_hash_of_the_text():
    text = _fresh("Some *emphasis* and a [link](https://example.org)")

    html = render_markdown(text)

    assert cache.get(markdown.cache_key(text)) == str(html)
    assert markdown.cache_key(text) != markdown.cache_key(text + " ")


def test_a_text_rendered_by_another_worker_is_taken_from_the_shared_cache():
    text = _fresh("Rendered elsewhere")
    cache.set(markdown.cache_key(text), "<p>as another process stored it</p>")

    assert render_markdown(text) == "<p>as another process stored it</p>"


@pytest.mark.parametrize(
    "text",
    [
        "*[HTML]: Hyper Text Markup Language\n\nHTML is fine.",
        "A note[^1].\n\n[^1]: The note.",
        "A [reference link][ref].\n\n[ref]: https://example.org",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "Hello <script>alert(1)</script> [x](javascript:alert(1))",
    ],
)
def test_reused_converter_renders_like_a_new_one_sanitised_alike(text):
    fresh = markdown_lib.markdown(text, extensions=markdown.EXTENSIONS, output_format="html")
    expected = markdown.nh3.clean(
        fresh,
        tags=markdown.ALLOWED_TAGS,
        attributes=markdown.ALLOWED_ATTRIBUTES,
        url_schemes=markdown.URL_SCHEMES,
        link_rel=markdown.LINK_REL,
    )

    assert render_markdown(text) == expected
    assert markdown._render(text) == expected


def test_definitions_of_one_text_do_not_reach_the_next():
    markdown._render("*[HTML]: Hyper Text Markup Language\n\nHTML here.")

    assert markdown._render("HTML there.") == "<p>HTML there.</p>"


def test_threads_render_their_own_texts():
    texts = [f"Text number **{n}**\n\n*[T{n}]: abbreviation {n}\n\nT{n}" for n in range(40)]
    expected = {
        text: markdown.nh3.clean(
            markdown_lib.markdown(text, extensions=markdown.EXTENSIONS, output_format="html"),
            tags=markdown.ALLOWED_TAGS,
            attributes=markdown.ALLOWED_ATTRIBUTES,
            url_schemes=markdown.URL_SCHEMES,
            link_rel=markdown.LINK_REL,
        )
        for text in texts
    }
    results: dict[str, str] = {}

    def work(chunk):
        for _ in range(20):
            for text in chunk:
                results[text] = markdown._render(text)

    threads = [threading.Thread(target=work, args=(texts[n::4],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == expected


def test_card_excerpts_read_the_kept_rendering_instead_of_converting_again():
    text = _fresh("A **partnership** with _three_ centres")
    cache.set(markdown.cache_key(text), "<p>as <strong>kept</strong></p><p>by a worker</p>")

    assert markdown.markdown_to_text(text) == "as kept by a worker"
