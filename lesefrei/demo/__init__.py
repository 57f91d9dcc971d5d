"""The demo newspaper and the synthetic corpus: data built on top of every other app.

`manage.py load_demo_content` loads a small, hand-written newspaper (one module per
subject: articles, pages, accounts, comments, supporters, live), through the apps'
services like any editor's or reader's data. `manage.py generate_corpus` generates a large
synthetic archive for benchmarks (corpus/). The arrow points one way: this app imports
the others, none of them imports it, so it can be left out of a production install.
"""
