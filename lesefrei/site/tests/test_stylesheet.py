import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_css.py"


def test_stylesheet_is_built_from_the_current_partials():
    spec = importlib.util.spec_from_file_location("build_css", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = (module.CSS_DIR / "lesefrei.css").read_text(encoding="utf-8")
    assert built == module.built_css(), "run `make css` (scripts/build_css.py)"
