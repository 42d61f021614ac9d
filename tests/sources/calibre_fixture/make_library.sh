#!/bin/sh
# Remakes stories/calibre-library, the small calibre library the tests and the sample
# recipe recipes/harbour.yaml read: four stories of our own words (the .txt files here),
# made into EPUBs by calibre's ebook-convert and added with calibredb, with tags, series, a custom
# `#status` column, comments, dates and FanFicFare-style `url:` identifiers.
# Needs calibre (Debian: apt-get install calibre). Run from the repository root.
set -eu
here=tests/sources/calibre_fixture
lib=stories/calibre-library
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/epub"
# Each EPUB carries its own title and authors, as FanFicFare's do.
convert() {  # NAME TITLE AUTHORS
  ebook-convert "$here/$1.txt" "$work/epub/$1.epub" --no-default-epub-cover \
    --pretty-print --formatting-type markdown --title "$2" --authors "$3" >/dev/null
}
convert tide "Low Tide" "Wren Hollis"
convert pier "The Lamp at the Pier" "Wren Hollis"
convert office "Filing" "Mara Quill"
convert road "The Long Road North" "Mara Quill & Wren Hollis"
rm -rf "$lib"
mkdir -p "$lib"
L="--with-library=$(realpath "$lib")"
calibredb add_custom_column "$L" status Status text
calibredb add "$L" "$work/epub/tide.epub" --title "Low Tide" --authors "Wren Hollis" \
  --tags "Spike/Buffy,Fluff" --series "Harbour Lights" --series-index 1 \
  --identifier "url:https://archiveofourown.org/works/1001"
calibredb add "$L" "$work/epub/pier.epub" --title "The Lamp at the Pier" --authors "Wren Hollis" \
  --tags "Spike/Buffy,Angst" --series "Harbour Lights" --series-index 2 \
  --identifier "url:https://archiveofourown.org/works/1002"
calibredb add "$L" "$work/epub/office.epub" --title "Filing" --authors "Mara Quill" \
  --tags "Angel/Cordelia,Humour" --identifier "url:https://www.fanfiction.net/s/3003"
calibredb add "$L" "$work/epub/road.epub" --title "The Long Road North" \
  --authors "Mara Quill & Wren Hollis" --tags "Spike/Buffy,Road Trip" \
  --identifier "url:https://archiveofourown.org/works/1004"
for id in 1 2 3; do calibredb set_custom "$L" status $id Complete; done
calibredb set_custom "$L" status 4 In-Progress
calibredb set_metadata "$L" 1 --field "comments:<p>The harbour floor, counted.</p>" --field pubdate:2019-06-02
calibredb set_metadata "$L" 2 --field "comments:<p>A lamp, a pier, <em>two</em> stubborn people.</p>" --field pubdate:2020-01-15
calibredb set_metadata "$L" 3 --field "comments:<p>Demons, alphabetised.</p>" --field pubdate:2018-03-03
calibredb set_metadata "$L" 4 --field "comments:<p>A broken car and a diner.</p>" --field pubdate:2021-07-07
