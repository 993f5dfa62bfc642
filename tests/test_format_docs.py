"""The file-format reference in docs/reference/ is the one the models give.

A model, a field description or a vocabulary that changes without the pages being regenerated
(``python -m cyberready.report.format_docs``) fails here, naming the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cyberready.models import KIND_MODELS
from cyberready.models.vocab import ASSET_TYPES, LINK_KINDS, SITES
from cyberready.report.format_docs import main as docs_main
from cyberready.report.format_docs import render_pages

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference"
PAGES = render_pages()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_committed_page_is_the_generated_one(name: str) -> None:
    page = REFERENCE / name
    assert page.is_file(), f"docs/reference/{name} is missing: run {_REGENERATE}"
    assert page.read_text(encoding="utf-8") == PAGES[name], (
        f"docs/reference/{name} is out of date: run {_REGENERATE}"
    )


def test_no_page_is_left_over_from_a_removed_kind() -> None:
    assert sorted(p.name for p in REFERENCE.glob("*.md")) == sorted(PAGES)


@pytest.mark.parametrize("kind", sorted(KIND_MODELS))
def test_every_field_of_every_kind_is_documented(kind: str) -> None:
    schema = KIND_MODELS[kind].model_json_schema(by_alias=True)
    page = PAGES[f"{kind}.md"]
    objects = [schema, *schema.get("$defs", {}).values()]
    for obj in objects:
        for field, prop in obj.get("properties", {}).items():
            assert f"| `{field}` |" in page, f"{kind}: field {field} is not on its page"
            if prop.get("description"):
                assert " ".join(prop["description"].split()).replace("|", "\\|") in page


def test_the_vocabularies_page_lists_every_value_and_each_link_direction() -> None:
    page = PAGES["vocabularies.md"]
    for value in (*ASSET_TYPES, *SITES):
        assert f"- `{value}`\n" in page
    for kind in LINK_KINDS:
        row = next(line for line in page.splitlines() if line.startswith(f"| `{kind}` |"))
        assert "`from`" in row and "`to`" in row


def test_a_field_typed_by_a_vocabulary_links_to_it() -> None:
    asset_type = next(line for line in PAGES["system.md"].splitlines() if "| `type` |" in line)
    assert "[asset types](vocabularies.md#asset-types)" in asset_type


def test_the_check_fails_on_a_stale_page_and_passes_once_written(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    assert docs_main([str(folder)]) == 0
    assert docs_main([str(folder), "--check"]) == 0
    system = folder / "system.md"
    system.write_text(system.read_text(encoding="utf-8").replace("Unique", "Unique!"), "utf-8")
    (folder / "old-kind.md").write_text("# gone\n", encoding="utf-8")
    assert docs_main([str(folder), "--check"]) == 1
    (folder / "old-kind.md").unlink()
    assert docs_main([str(folder)]) == 0
    assert docs_main([str(folder), "--check"]) == 0


_REGENERATE = "python -m cyberready.report.format_docs"
