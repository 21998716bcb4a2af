"""csto: this book's own logic, beside the generic engine (bookkit).

- ``article``: the source article's paragraph index and locators (§Section ¶n);
- ``types``: the ``locator`` cell type (registered with bookkit through [tool.bookkit] plugins);
- ``membership``: who was a member of what, when (spells, status by date);
- ``measures``: each measure the chapters share, computed once;
- ``verdicts``: verdicts read from their tables, and the sentences that state them;
- ``charts``: the book's recurring charts;
- ``derive``: raw -> tidy steps, each declared in its table's schema.
A fork replaces this package and keeps bookkit.
"""
