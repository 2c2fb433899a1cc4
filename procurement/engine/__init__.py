"""The process engine: gates as data, each kind judged by one pure evaluator over a
snapshot of the case that is loaded once per request or service call.

- records.py     record kinds other apps register (complaints, award notices ...), counted in bulk
- snapshot.py    everything a judgement needs, for any number of procurements, in a fixed
                 number of queries
- evaluators.py  one pure function per gate kind: (snapshot, gate) -> GateResult
"""
