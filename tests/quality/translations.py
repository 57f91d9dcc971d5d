"""Finding UI text that does not go through Django's translation, and text of the wrong
language in rendered output. Used by test_translations.py (the static check) and
test_languages.py (every page, mail and staff screen rendered in each language).

What counts as UI text:
- in templates, every piece of text with a letter outside `{% translate %}` and
  `{% blocktranslate %}`: the text between HTML tags and the human-read attributes
  (alt, title, aria-label, placeholder, content of a meta description); mail templates
  (.txt) are text through and through;
- in Python, string literals given as a verbose name, label, help text, menu label, page
  title, message or validation error, unless wrapped in a gettext function.
"""

import ast
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lesefrei"
LOCALE = PACKAGE / "locale"

LETTER = re.compile(r"[A-Za-zÄÖÜäöüß]")
# Words that read the same in every language the site speaks: names, codes, brands.
SAME_IN_EVERY_LANGUAGE = {
    "lesefrei",
    "RSS",
    "Atom",
    "IBAN",
    "BIC",
    "SEPA",
    "SEPA-XML",
    "SHA-256",
    "JSON",
    "XML",
    "API",
    "ninjs",
    "OK",
    "px",
}
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}
RAW_ELEMENTS = {"script", "style", "svg"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


# A class name or identifier ("page-article", "teaser__title"), not a word.
IDENTIFIER = re.compile(r"^[a-z0-9]+(?:(?:-{1,2}|_{1,2})[a-z0-9]+)+$")


def is_ui_text(text: str) -> bool:
    """Text a person reads: not only punctuation, numbers, single letters (keyboard
    keys), class names, markup a template tag split, or the invariant words."""
    if '="' in text:
        return False
    words = re.findall(r"[\wÄÖÜäöüß][\w\-ÄÖÜäöüß.]*", text)
    meaningful = [w.strip(".") for w in words if LETTER.search(w)]
    return any(
        len(w) > 1 and w not in SAME_IN_EVERY_LANGUAGE and not IDENTIFIER.match(w)
        for w in meaningful
    )


class _TextCollector(HTMLParser):
    """Text between tags and human-read attribute values of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[int, str]] = []
        self.raw_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in RAW_ELEMENTS:
            self.raw_depth += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.pieces.append((self.getpos()[0], value))
        if tag == "meta" and values.get("name") == "description" and values.get("content"):
            self.pieces.append((self.getpos()[0], values["content"]))
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.pieces.append((self.getpos()[0], values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in RAW_ELEMENTS and self.raw_depth:
            self.raw_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.raw_depth:
            self.pieces.append((self.getpos()[0], data))


# Template tags whose content is translated as a whole, or is not shown.
OPENING = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


def template_findings(path: Path) -> list[Finding]:
    """Untranslated text in one template. Text and tags are put back together outside
    the translated blocks (a variable becomes a placeholder), so that an attribute
    split by a variable is still read as one attribute."""
    source = path.read_text(encoding="utf-8")
    closing: str | None = None
    # The template with translated blocks, comments and tags blanked (newlines kept, so
    # that line numbers stay right) and each variable as a placeholder.
    parts: list[str] = []
    for token in Lexer(source).tokenize():
        newlines = "\n" * token.contents.count("\n")
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            parts.append(newlines)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            closing = OPENING.get(name)
            parts.append(" " + newlines)
        elif token.token_type == TokenType.VAR:
            parts.append("0" + newlines)
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        else:
            parts.append(newlines)
    text = "".join(parts)
    relative = str(path.relative_to(ROOT))
    if path.suffix == ".txt":
        return [
            Finding(relative, number, " ".join(line.split()))
            for number, line in enumerate(text.splitlines(), 1)
            if is_ui_text(line)
        ]
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    return [
        Finding(relative, line, " ".join(piece.split()))
        for line, piece in collector.pieces
        if is_ui_text(piece)
    ]


def project_templates() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("templates/**/*")):
        if path.suffix in {".html", ".txt"} and path.is_file():
            yield path


# Keyword arguments and class attributes whose string is read by people.
UI_NAMES = {
    "verbose_name",
    "verbose_name_plural",
    "label",
    "help_text",
    "menu_label",
    "page_title",
    "empty_label",
    "empty_value_display",
    "header_title",
    "short_description",
    "page_description",
    "success_message",
    "error_message",
}
# Calls with an argument read by people, and its position: messages.success(request,
# text), form.add_error(field, text), ValidationError(text), models.CharField(text, ...).
MESSAGE_LEVELS = {"success", "error", "warning", "info", "debug"}
TRANSLATING = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "gettext_noop",
    "format_lazy",
    "capfirst",
}
MODEL_FIELDS = re.compile(r"(?<!ManyToMany)(?<!OneToOne)Field$")


def _message_position(node: ast.Call, name: str) -> int | None:
    func = node.func
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if name in MESSAGE_LEVELS and isinstance(receiver, ast.Name) and receiver.id == "messages":
        return 1
    if name == "add_message":
        return 2
    if name == "add_error":
        return 1
    if name == "ValidationError":
        return 0
    # models.CharField(verbose_name, ...); a relation's first argument is its model.
    if isinstance(receiver, ast.Name) and receiver.id == "models" and MODEL_FIELDS.search(name):
        return 0
    return None


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


class _PythonChecker(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.wrapped = 0

    def _raw(self, node: ast.AST | None) -> None:
        """Report `node` if it is (or is a dict/tuple/f-string of) a bare UI literal."""
        if node is None:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if is_ui_text(node.value):
                self.findings.append(
                    Finding(str(self.path.relative_to(ROOT)), node.lineno, node.value)
                )
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if is_ui_text(text):
                self.findings.append(Finding(str(self.path.relative_to(ROOT)), node.lineno, text))
        elif isinstance(node, ast.Dict):
            for value in node.values:
                self._raw(value)

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        if name in TRANSLATING:
            return  # what is inside is translated (or deliberately not)
        for keyword in node.keywords:
            if keyword.arg in UI_NAMES or keyword.arg in {"message", "error_messages"}:
                self._raw(keyword.value)
        position = _message_position(node, name)
        if position is not None and len(node.args) > position:
            self._raw(node.args[position])
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            # (`label` as a class attribute is an AppConfig's, not UI text.)
            if isinstance(target, ast.Name) and target.id in UI_NAMES - {"label"}:
                self._raw(node.value)
        self.generic_visit(node)


# Python modules that hold no UI text: tests, data migrations' history, the demo's own
# German articles, the corpus generator, settings.
SKIPPED = ("tests", "migrations", "corpus", "settings", "demo", "management")


def python_findings(path: Path) -> list[Finding]:
    checker = _PythonChecker(path)
    checker.visit(ast.parse(path.read_text(encoding="utf-8")))
    return checker.findings


def project_modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if not any(part in SKIPPED or part.startswith("demo") for part in parts):
            yield path


# Catalogues


@dataclass(frozen=True)
class Message:
    msgid: str
    msgstr: str
    context: str = ""
    plural: str = ""
    fuzzy: bool = False


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def read_po(path: Path) -> list[Message]:
    """The entries of a .po file (no header, no obsolete entries); plural entries carry
    their first form as msgstr. Enough of the format for makemessages' output."""
    messages: list[Message] = []
    entry: dict[str, str] = {}
    flags = ""
    field = ""

    def finish() -> None:
        if entry.get("msgid"):
            messages.append(
                Message(
                    entry["msgid"],
                    entry.get("msgstr", entry.get("msgstr[0]", "")),
                    entry.get("msgctxt", ""),
                    entry.get("msgid_plural", ""),
                    "fuzzy" in flags,
                )
            )

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            finish()
            entry, flags, field = {}, "", ""
        elif line.startswith("#,"):
            flags += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += _unquote(line)
        else:
            field, _, rest = line.partition(" ")
            entry[field] = _unquote(rest)
    return messages


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def compiled(language: str) -> gettext.GNUTranslations:
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as file:
        return gettext.GNUTranslations(file)
