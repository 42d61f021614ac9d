"""The model's hand-written constructors (Text, Paragraph) behave as their dataclasses'."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from dataclasses import dataclass

import pytest

from ficbook.model import Paragraph, Text


@dataclass(frozen=True, slots=True)
class _PlainText:  # Text as the dataclass would build it
    text: str


@dataclass(frozen=True, slots=True)
class _PlainParagraph:
    inlines: tuple
    line: int | None = None
    align: str | None = None


CLASSES = [(Text, _PlainText, [("a",), (), ("a", 1)], [{"text": "b"}, {"txt": "b"}]),
           (Paragraph, _PlainParagraph,
            [((Text("a"),),), ((), 3), ((), 3, "center"), ((), 0, ""), (), ((), 1, None, 4)],
            [{"inlines": (), "align": "right"}, {"line": 2}, {"inlines": (), "inline": 3}])]


def _outcome(cls: type, args: tuple, kwargs: dict) -> object:
    try:
        obj = cls(*args, **kwargs)
    except TypeError as e:
        return ("TypeError", str(e).replace(cls.__name__, "CLS"))
    return (repr(obj).replace(cls.__name__, "CLS"), obj.__match_args__,
            [getattr(obj, f.name) for f in dataclasses.fields(obj)])


def test_text_and_paragraph_are_built_as_their_dataclasses_would_be() -> None:
    for cls, plain, positional, keywords in CLASSES:
        params = [(p.name, p.kind, p.default) for p in inspect.signature(cls).parameters.values()]
        assert params == [(p.name, p.kind, p.default)
                          for p in inspect.signature(plain).parameters.values()]
        assert ([(f.name, f.default, f.init, f.repr, f.compare) for f in dataclasses.fields(cls)]
                == [(f.name, f.default, f.init, f.repr, f.compare)
                    for f in dataclasses.fields(plain)])
        assert cls.__slots__ == plain.__slots__ and cls.__match_args__ == plain.__match_args__
        for args in positional:
            assert _outcome(cls, args, {}) == _outcome(plain, args, {}), args
        for kwargs in keywords:
            assert _outcome(cls, (), kwargs) == _outcome(plain, (), kwargs), kwargs


def test_text_and_paragraph_stay_frozen_slotted_dataclasses() -> None:
    p = Paragraph((Text("a"), Text("b")), 7, "center")
    assert not hasattr(p, "__dict__")
    for attempt in (lambda: setattr(p, "line", 8), lambda: delattr(p, "line"),
                    lambda: setattr(p.inlines[0], "text", "c"), lambda: setattr(p, "other", 1)):
        with pytest.raises((dataclasses.FrozenInstanceError, AttributeError, TypeError)):
            attempt()
    assert p.line == 7 and p.inlines[0].text == "a"
    same = Paragraph((Text("a"), Text("b")), line=7, align="center")
    assert p == same and hash(p) == hash(same) and p != Paragraph((Text("a"),), 7, "center")
    assert dataclasses.replace(p, line=9) == Paragraph(p.inlines, 9, "center")
    assert dataclasses.replace(Text("x"), text="y") == Text("y")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(p, protocol)) == p
    assert copy.copy(p) == p and copy.deepcopy(p) == p
    assert Paragraph(()) == Paragraph((), None, None)


def test_every_class_of_the_model_pickles_by_calling_it_with_its_fields() -> None:
    # compiled (ficbook.native), a frozen class unpickles no other way; see model.by_fields
    import copyreg

    from ficbook import model

    classes = [c for c in vars(model).values()
               if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == model.__name__]
    assert len(classes) > 20 and [c for c in classes if c not in copyreg.dispatch_table] == []
    note = model.Note("author", (Paragraph((Text("a"),)),), "A/N", 3)
    assert copyreg.dispatch_table[model.Note](note) == (model.Note, ("author", note.blocks, "A/N", 3))
