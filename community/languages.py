"""Languages a member may speak: ISO 639-1 codes with their English names, translated for display.

The names match Django's own language names where they exist, so their translations
come with Django's catalogue.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = [
    ("af", _("Afrikaans")),
    ("am", _("Amharic")),
    ("ar", _("Arabic")),
    ("az", _("Azerbaijani")),
    ("be", _("Belarusian")),
    ("bg", _("Bulgarian")),
    ("bm", _("Bambara")),
    ("bn", _("Bengali")),
    ("bs", _("Bosnian")),
    ("ca", _("Catalan")),
    ("cs", _("Czech")),
    ("cy", _("Welsh")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("eo", _("Esperanto")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("eu", _("Basque")),
    ("fa", _("Persian")),
    ("ff", _("Fula")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("gl", _("Galician")),
    ("ha", _("Hausa")),
    ("he", _("Hebrew")),
    ("hi", _("Hindi")),
    ("hr", _("Croatian")),
    ("ht", _("Haitian Creole")),
    ("hu", _("Hungarian")),
    ("hy", _("Armenian")),
    ("id", _("Indonesian")),
    ("ig", _("Igbo")),
    ("is", _("Icelandic")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("ka", _("Georgian")),
    ("kk", _("Kazakh")),
    ("km", _("Khmer")),
    ("ko", _("Korean")),
    ("ku", _("Kurdish")),
    ("lb", _("Luxembourgish")),
    ("ln", _("Lingala")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mg", _("Malagasy")),
    ("mk", _("Macedonian")),
    ("mn", _("Mongolian")),
    ("ms", _("Malay")),
    ("mt", _("Maltese")),
    ("my", _("Burmese")),
    ("ne", _("Nepali")),
    ("nl", _("Dutch")),
    ("no", _("Norwegian")),
    ("pa", _("Punjabi")),
    ("pl", _("Polish")),
    ("ps", _("Pashto")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("ru", _("Russian")),
    ("rw", _("Kinyarwanda")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("so", _("Somali")),
    ("sq", _("Albanian")),
    ("sr", _("Serbian")),
    ("sv", _("Swedish")),
    ("sw", _("Swahili")),
    ("ta", _("Tamil")),
    ("th", _("Thai")),
    ("ti", _("Tigrinya")),
    ("tl", _("Tagalog")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("ur", _("Urdu")),
    ("uz", _("Uzbek")),
    ("vi", _("Vietnamese")),
    ("wo", _("Wolof")),
    ("yo", _("Yoruba")),
    ("zh", _("Chinese")),
    ("zu", _("Zulu")),
]

LANGUAGE_NAMES = dict(LANGUAGES)


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def content_language_of(user) -> str:
    """The language a member's new content is taken to be written in: their interface
    language when the site speaks it, else the site's default."""
    code = getattr(user, "preferred_language", "") or ""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def content_language_field():
    """The ``language`` field of content (themes, questions, meetings, the guide): one of the
    interface languages, so readers can filter by it and the page can mark it with ``lang``."""
    return models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en", db_index=True)


def fill_language(apps, *, app_label: str, model_name: str, author_field: str) -> None:
    """A data migration step: existing rows take their author's language ("en" without one)."""
    model = apps.get_model(app_label, model_name)
    for code, _name in settings.LANGUAGES:
        if code != "en":
            model.objects.filter(**{f"{author_field}__preferred_language": code}).update(language=code)


class LanguageKeptWhenOmitted:
    """For a ModelForm of content edited in the admin: a post without ``language`` keeps the
    language the content had."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language
