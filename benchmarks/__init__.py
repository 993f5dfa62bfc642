"""Performance harness: seeded model generators (:mod:`benchmarks.generators`) and the engine
versus reference benchmark (:mod:`benchmarks.run`, results in ``benchmarks/results.md``)."""
