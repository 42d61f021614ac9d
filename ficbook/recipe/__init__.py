"""The recipe: one anthology's YAML, validated into a `Recipe` that reports every problem
at once as `file:line:col: key.path: message`. `schema` says what a recipe may hold, `load`
reads the YAML safely, `locate` puts each problem at its line."""

from ficbook.recipe.load import load_recipe, parse_recipe
from ficbook.recipe.schema import MAX_RECIPE_BYTES, PartEntry, Recipe, Series, StoryEntry

__all__ = ["MAX_RECIPE_BYTES", "PartEntry", "Recipe", "Series", "StoryEntry", "load_recipe",
           "parse_recipe"]
