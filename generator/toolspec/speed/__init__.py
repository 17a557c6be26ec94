"""What makes a run fast, and changes nothing of what it makes: the cache of specs read before
(spec_cache), the worker processes that build specs and make models beside the run (workers,
model_pool), and the store that keeps a large run's toolsets on disk (toolset_store). A spec
is built the same way in the parent, in a worker, or for the cache (spec_build); entries.py
is where the run takes each spec's entry from, and what it keeps of it.
"""
