"""The recipe: one anthology's YAML, validated into a `Recipe` that reports every problem
at once as `file:line:col: key.path: message`."""

from ficbook.recipe.schema import (
    MAX_RECIPE_BYTES,
    Part,
    Recipe,
    Series,
    StoryEntry,
    load_recipe,
    parse_recipe,
)

__all__ = ["MAX_RECIPE_BYTES", "Part", "Recipe", "Series", "StoryEntry", "load_recipe",
           "parse_recipe"]
