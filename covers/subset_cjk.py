"""Make covers/fonts/NotoSansCJKsc-Subset.otf: Noto Sans CJK SC cut to the characters of
GB2312 and JIS X 0208 (simplified Chinese and Japanese, both levels), Big5 (traditional
Chinese, both levels: 13,053 hanzi), kana, CJK punctuation and full-width forms. Needs
fontTools; run from the repository:

    python covers/subset_cjk.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

(Debian 12's fonts-noto-cjk 1:20220127 gives the bundled file byte for byte.) GB2312 and
JIS alone were 4.7 MB and left out one common traditional character in eleven (說, 鄉,
歲, 們…); Big5's first level adds 0.3 MB, its second 2.9 MB more.
"""
import sys
from fontTools import subset
from fontTools.ttLib import TTCollection

def charset(codec, rows, trail=range(0xA1, 0xFF)):
    out = set()
    for hi in rows:
        for lo in trail:
            try:
                out.add(bytes([hi, lo]).decode(codec))
            except UnicodeDecodeError:
                pass
    return out

BIG5_TRAIL = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]

def main(src, dst, face=2):
    chars = charset("gb2312", range(0xA1, 0xF8)) | charset("euc_jp", range(0xA1, 0xF5))
    chars |= charset("big5", [*range(0xA4, 0xC7), *range(0xC9, 0xFA)], BIG5_TRAIL)
    chars |= {chr(c) for c in range(0x3000, 0x3100)}  # CJK punctuation, kana
    chars |= {chr(c) for c in range(0xFF00, 0xFFF0)}  # full-width forms
    chars |= {chr(c) for c in range(0x20, 0x7F)}
    font = TTCollection(src).fonts[face]
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.desubroutinize = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    font.recalcTimestamp = False  # the source's date: the same file on every run
    font.save(dst)
    print(dst, len(chars), "characters")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "covers/fonts/NotoSansCJKsc-Subset.otf")
