"""Never overwrite an input, never leave a stale book (issue 16).

A run refuses to write over any input of any recipe in it; the incremental records follow
every file a book is made from (resolved, by content, as it was read), name the book they
belong to, and a damaged record only means a rebuild.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from ficbook.batch import manifest
from ficbook.batch import pool as batch
from ficbook.errors import ExitCode
from ficbook.outputs import output_path
from tests.hostile import harness
from tests.hostile.corpus import STORY_HTML_TEXT, epub

STORY = "Buffy walked into the Bronze and looked around for Willow.\n\nGiles cleaned his glasses.\n"
OTHER = "Faith sharpened her stake on the roof of the school.\n\nNobody came that night.\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def recipe(path: Path, *stories: str, extra: str = "", title: str = "Shelf") -> Path:
    lines = "".join(f"  - path: {s}\n" for s in stories)
    return write(path, f"title: {title}\n{extra}stories:\n{lines}")


def run(recipes: list[Path], out: Path | None, **job) -> list[batch.Outcome]:
    return batch.run(recipes, batch.Job(out_dir=out, **job))


def statuses(outcomes: list[batch.Outcome]) -> list[str]:
    return [o.status for o in outcomes]


# ------------------------------------------------------------------ no input overwritten


def test_a_book_never_replaces_another_recipes_story(tmp_path: Path):
    """`build reread.yaml favourite.yaml --out .`: reread reads favourite.epub, which
    favourite.yaml would write. favourite fails; the user's file is untouched."""
    favourite = write(tmp_path / "favourite.epub", epub({"c1.xhtml": f"<p>{STORY_HTML_TEXT}</p>"}))
    before = favourite.read_bytes()
    write(tmp_path / "story.txt", STORY)
    reread = recipe(tmp_path / "reread.yaml", "favourite.epub")
    fav = recipe(tmp_path / "favourite.yaml", "story.txt")
    for order in ([reread, fav], [fav, reread]):
        outcomes = {o.recipe.name: o for o in run(order, tmp_path, force=True)}
        assert outcomes["reread.yaml"].status == "built"
        failed = outcomes["favourite.yaml"]
        assert failed.status == "failed" and failed.exit_code == ExitCode.OUTPUT
        assert "would overwrite an input of" in failed.error and "reread.yaml" in failed.error
        assert failed.error.startswith(str(tmp_path / "favourite.epub") + ":")
        assert favourite.read_bytes() == before


def test_a_book_never_replaces_its_own_recipe_or_cover_picture(tmp_path: Path):
    write(tmp_path / "s" / "story.txt", STORY)
    # the cover picture is named like the book the recipe makes
    buf = io.BytesIO()
    Image.new("RGB", (40, 60), (10, 20, 30)).save(buf, "JPEG")
    art = write(tmp_path / "out" / "own.epub", buf.getvalue())
    own = recipe(tmp_path / "r" / "own.yaml", "../s/story.txt", extra=f"cover: {{image: {art}}}\n")
    [outcome] = run([own], tmp_path / "out")
    assert outcome.status == "failed" and "one of its own input files" in outcome.error
    assert art.read_bytes() == buf.getvalue()


def test_kepub_copy_and_a_recipe_named_x_kepub_write_one_file(tmp_path: Path):
    write(tmp_path / "story.txt", STORY)
    x = recipe(tmp_path / "x.yaml", "story.txt")
    xk = recipe(tmp_path / "x.kepub.yaml", "story.txt", title="Other")
    outcomes = run([x, xk], tmp_path / "out", kepub=True)
    assert statuses(outcomes) == ["built", "failed"]
    assert "writes the same book as" in outcomes[1].error
    assert outcomes[1].exit_code == ExitCode.OUTPUT


# ------------------------------------------------------------------ records follow every input


def test_a_retargeted_story_symlink_rebuilds(tmp_path: Path):
    a, b = write(tmp_path / "a.txt", STORY), write(tmp_path / "b.txt", OTHER)
    link = tmp_path / "story.txt"
    link.symlink_to(a)
    r = recipe(tmp_path / "r" / "book.yaml", "../story.txt")
    assert statuses(run([r], tmp_path / "out")) == ["built"]
    assert statuses(run([r], tmp_path / "out")) == ["unchanged"]
    link.unlink()
    link.symlink_to(b)
    assert statuses(run([r], tmp_path / "out")) == ["built"]
    assert "Faith" in harness.book_text(tmp_path / "out" / "book.epub")


def test_a_retargeted_folder_symlink_rebuilds_even_with_equal_bytes_elsewhere(tmp_path: Path):
    write(tmp_path / "v1" / "story.txt", STORY)
    write(tmp_path / "v2" / "story.txt", STORY)  # the same bytes, another file
    folder = tmp_path / "current"
    folder.symlink_to(tmp_path / "v1")
    r = recipe(tmp_path / "r" / "book.yaml", "../current/story.txt")
    assert statuses(run([r], tmp_path / "out")) == ["built"]
    folder.unlink()
    folder.symlink_to(tmp_path / "v2")
    assert statuses(run([r], tmp_path / "out")) == ["built"]
    assert statuses(run([r], tmp_path / "out")) == ["unchanged"]


def picture(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buf, "PNG")
    return buf.getvalue()


def test_a_picture_beside_a_saved_page_is_followed(tmp_path: Path):
    write(tmp_path / "page.html", f"<html><head><title>P</title></head><body><p>{STORY_HTML_TEXT}</p>"
                                  '<p><img src="page_files/pic.png" alt="pic"></p></body></html>')
    pic = write(tmp_path / "page_files" / "pic.png", picture((200, 10, 10)))
    r = recipe(tmp_path / "r" / "book.yaml", "../page.html")
    assert statuses(run([r], tmp_path / "out")) == ["built"]
    assert statuses(run([r], tmp_path / "out")) == ["unchanged"]
    pic.write_bytes(picture((10, 200, 10)))
    assert statuses(run([r], tmp_path / "out")) == ["built"]


class ReplaceDuring:
    """A reporter that replaces a file when the build reaches a stage (after it was read)."""

    def __init__(self, stage: str, path: Path, data: bytes):
        self.at, self.path, self.data, self.done = stage, path, data, False

    def stage(self, recipe: Path, stage: str) -> None:
        if stage == self.at and not self.done:
            self.path.write_bytes(self.data)
            self.done = True

    def finished(self, outcome: batch.Outcome) -> None:
        pass


def test_a_cover_picture_replaced_during_a_build_rebuilds_next_time(tmp_path: Path):
    write(tmp_path / "story.txt", STORY)
    art = write(tmp_path / "art.png", picture((200, 10, 10)))
    r = recipe(tmp_path / "book.yaml", "story.txt", extra="cover: {image: art.png}\n")
    swap = ReplaceDuring("render", art, picture((10, 10, 200)))
    [first] = batch.run([r], batch.Job(out_dir=tmp_path / "out"), swap)
    assert first.status == "built" and swap.done
    assert statuses(run([r], tmp_path / "out")) == ["built"]  # made from the old picture
    assert statuses(run([r], tmp_path / "out")) == ["unchanged"]


def test_a_story_replaced_during_a_build_rebuilds_next_time(tmp_path: Path):
    story = write(tmp_path / "story.txt", STORY)
    r = recipe(tmp_path / "book.yaml", "story.txt")
    swap = ReplaceDuring("package", story, OTHER.encode())
    assert statuses(batch.run([r], batch.Job(out_dir=tmp_path / "out"), swap)) == ["built"]
    assert statuses(run([r], tmp_path / "out")) == ["built"]


def test_the_recipe_is_followed_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path / "shelf" / "story.txt", STORY)
    r = recipe(tmp_path / "shelf" / "book.yaml", "story.txt")
    monkeypatch.chdir(tmp_path / "shelf")
    assert statuses(run([Path("book.yaml")], tmp_path / "out")) == ["built"]
    r.write_text(r.read_text() + "subtitle: Edited\n")
    monkeypatch.chdir(tmp_path)
    assert statuses(run([Path("shelf/book.yaml")], tmp_path / "out")) == ["built"]
    data = manifest.load(manifest.manifest_path(tmp_path / "out" / "book.epub"))
    assert data is not None
    assert data["recipe"] == str(r.resolve())
    assert str(r.resolve()) in [i[0] for i in data["inputs"]]


def test_two_same_named_recipes_into_one_folder_keep_their_own_books(tmp_path: Path):
    write(tmp_path / "a" / "story.txt", STORY)
    write(tmp_path / "b" / "story.txt", OTHER)
    a = recipe(tmp_path / "a" / "book.yaml", "story.txt", title="Book A")
    b = recipe(tmp_path / "b" / "book.yaml", "story.txt", title="Book B")
    out = tmp_path / "out"
    for which, want in ((a, "Buffy"), (b, "Faith"), (a, "Buffy"), (a, "Buffy")):
        [o] = run([which], out)
        assert harness.book_text(out / "book.epub").count(want) >= 1, (which, o.status)
    assert statuses(run([a, b], out)) == ["unchanged", "failed"]  # one run: the clash is named


def test_a_long_recipe_name_gets_a_record(tmp_path: Path):
    write(tmp_path / "story.txt", STORY)
    r = recipe(tmp_path / ("b" * 245 + ".yaml"), "story.txt")
    assert statuses(run([r], tmp_path / "out")) == ["built"]
    assert statuses(run([r], tmp_path / "out")) == ["unchanged"]
    record = manifest.manifest_path(output_path(r, tmp_path / "out"))
    assert record.exists() and len(record.name) < 200


# ------------------------------------------------------------------ damaged records


def damage(record: Path, how: str) -> None:
    record.unlink()
    if how == "fifo":
        os.mkfifo(record)
    elif how == "dev-zero":
        record.symlink_to("/dev/zero")
    else:
        record.write_text(how)


@pytest.mark.parametrize("how", ["null", "[]", "1", '{"format": 2}', "{", "fifo", "dev-zero"])
def test_a_damaged_record_means_a_rebuild(tmp_path: Path, how: str):
    write(tmp_path / "story.txt", STORY)
    r = recipe(tmp_path / "book.yaml", "story.txt")
    assert statuses(run([r], tmp_path / "out")) == ["built"]
    damage(manifest.manifest_path(tmp_path / "out" / "book.epub"), how)
    # in a child with a deadline: a FIFO must not hang the build, /dev/zero not eat memory
    proc = subprocess.run([sys.executable, "-m", "ficbook", "build", str(r), "--out", str(tmp_path / "out"),
                           "--json", "-j", "1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert '"status": "built"' in proc.stdout
    assert statuses(run([r], tmp_path / "out")) == ["unchanged"]


@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
def test_a_record_naming_a_fifo_or_a_device_means_a_rebuild(tmp_path: Path, target: str):
    story = write(tmp_path / "story.txt", STORY)
    r = recipe(tmp_path / "book.yaml", "story.txt")
    assert statuses(run([r], tmp_path / "out")) == ["built"]
    record = manifest.manifest_path(tmp_path / "out" / "book.epub")
    if target == "fifo":
        target = str(tmp_path / "pipe")
        os.mkfifo(target)
    record.write_text(record.read_text().replace(str(story), target))
    proc = subprocess.run([sys.executable, "-m", "ficbook", "build", str(r), "--out", str(tmp_path / "out"),
                           "--json", "-j", "1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert '"status": "built"' in proc.stdout


# ------------------------------------------------------------------ ficbook cover -o


def cover_shelf(tmp_path: Path) -> tuple[Path, Path]:
    write(tmp_path / "story.txt", STORY)
    art = write(tmp_path / "art.png", picture((200, 10, 10)))
    return recipe(tmp_path / "book.yaml", "story.txt", extra="cover: {image: art.png}\n"), art


@pytest.mark.parametrize("target", ["art.png", "book.yaml", "story.txt", "art-sheet.png"])
def test_cover_never_writes_over_the_recipes_inputs(tmp_path: Path, target: str):
    r, art = cover_shelf(tmp_path)
    if target == "art-sheet.png":  # -o art.png's sheet would be art-sheet.png: the picture here
        art.rename(tmp_path / target)
        r.write_text(r.read_text().replace("art.png", target))
        target = "art.png"
    before = harness.hash_tree(tmp_path)
    run = harness.run_cli(["cover", str(r), "-o", str(tmp_path / target)], tmp_path.parent / "err.txt")
    line = harness.one_error_line(run.stderr)
    assert run.code == ExitCode.OUTPUT
    assert "would overwrite one of the recipe's own input files" in line.message
    assert harness.hash_tree(tmp_path) == before


@pytest.mark.parametrize("target", ["", ".", "sub"])
def test_cover_o_needs_a_file_name(tmp_path: Path, target: str):
    r, _ = cover_shelf(tmp_path)
    (tmp_path / "sub").mkdir()
    before = harness.hash_tree(tmp_path)
    run = harness.run_cli(["cover", str(r), "-o", str(tmp_path / target) if target else target],
                          tmp_path.parent / "err.txt")
    line = harness.one_error_line(run.stderr)
    assert run.code == ExitCode.OUTPUT
    assert "-o needs a file name" in line.message
    assert harness.hash_tree(tmp_path) == before


def test_cover_on_a_full_disk_keeps_the_old_cover(tmp_path: Path):
    r, _ = cover_shelf(tmp_path)
    old = write(tmp_path / "out" / "cover.jpg", b"\xff\xd8 an old cover, whole " * 10)
    before = old.read_bytes()
    run = harness.run_cli(["cover", str(r), "-o", str(old)], tmp_path / "err.txt", fsize=20_000)
    line = harness.one_error_line(run.stderr)
    assert run.code == ExitCode.OUTPUT
    assert "cannot write the cover" in line.message
    assert old.read_bytes() == before
    assert [p.name for p in old.parent.iterdir()] == ["cover.jpg"]
