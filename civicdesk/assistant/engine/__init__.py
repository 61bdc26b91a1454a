"""The assistant's engine: plain Python and numpy, no Django beyond gettext for the answer's labels.

normalize → query (with the lexicon and places.py's place names) → index (built by build.py, saved as .npz) →
decide (with scope.py's out-of-domain cues and the calibrated models) → compose. Its data lives in `data/`:
`lexicon.json`, `english.json` (the English glossary), `places.json` and `scope_cues.json` are edited by hand;
`calibration.json` and `examples.json` (the example questions, and the questions known to be out of scope) are
written by `civicdesk assistant calibrate` from the gold set (`eval/assistant/` in a checkout).

What needs Django stays in the app around it and is passed in: the records (`corpus.py`, as `Doc`), the settings
(`conf.py`: the threshold override reaches `decide` as an argument), dense vectors (`dense.py`, a fusion function
set on the index), the live index's lifecycle (`store.py`) and the glue that answers a question (`respond.py`).
tests/assistant/test_engine.py keeps it that way.
"""
