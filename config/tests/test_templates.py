"""Template hygiene the template engine does not check by itself."""

from pathlib import Path

from django.conf import settings


def test_no_template_has_a_one_line_comment_spread_over_several_lines():
    # "{# … #}" ends at the end of its line: a longer one shows as text on the page
    # ({% comment %} is the multi-line form).
    broken = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            if line.count("{#") > line.count("#}"):
                broken.append(f"{template.relative_to(settings.BASE_DIR)}:{number}")
    assert broken == []
