"""The assistant's gold set and evaluation harness, kept in the repository, outside the installed package.

- `gold.jsonl`: the questions (`{"id", "q", "gold": [record ids], "type", "split"}`; `gold: []` = out of scope);
- `harness.py`: `civicdesk assistant eval` (Recall@k, MRR, decisions, wrong answers, latency, plain-BM25 baseline);
- `calibrate.py`: `civicdesk assistant calibrate` (fits the decision models; writes `calibration.json` and the
  live index's `examples.json` into `civicdesk/assistant/engine/data/`);
- `baseline.py`: the plain BM25 the evaluation compares against.

The commands find this folder from the project (`civicdesk/assistant/evaluation.py`) and import it as the package
`assistant_eval`; an installed copy of CivicDesk has no gold set and says so.
"""
