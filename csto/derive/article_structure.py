"""article_structure: paragraphs and characters per section of the source article."""
import pandas as pd

from ..article import INDEX_PATH, SECTION_ORDER


def build() -> pd.DataFrame:
    index = pd.read_csv(INDEX_PATH, dtype={"section": str})
    unknown = set(index["section"]) - set(SECTION_ORDER)
    if unknown:
        raise ValueError(f"{INDEX_PATH}: unknown section(s) {sorted(unknown)}")
    out = (index.groupby("section", sort=False)
           .agg(paragraphs=("paragraph", "max"), characters=("characters", "sum"))
           .reset_index())
    out["order"] = out["section"].map(SECTION_ORDER.index)
    out["source"] = "taghvaei"
    return out.sort_values("order")
